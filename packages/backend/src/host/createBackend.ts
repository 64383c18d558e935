import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  ConfigError,
  ServiceUnavailableError,
  type BackendPlugin,
  type HostInfoService,
  type PluginContext,
  type ServiceRef,
} from '@atrium/backend-plugin-api';
import type { ConfigBundle } from '../config/ConfigBundle.js';
import { backendConfigSchema, HOST_CONFIG_SECTIONS } from '../config/backendConfigSchema.js';
import { validateConfig } from '../config/validateConfig.js';
import type { Database } from '../database/Database.js';
import { openDatabase } from '../database/openDatabase.js';
import { runMigrations } from '../database/runMigrations.js';
import { apiNotFound, errorHandler } from '../http/errorHandler.js';
import { createMetrics } from '../http/metrics.js';
import { jsonMutationGuard } from '../http/jsonMutationGuard.js';
import { markPossibleNul, nulGuard } from '../http/nulGuard.js';
import { mergeOpenApi } from '../http/openapi.js';
import { hostGuard, OriginPolicy, originGuard } from '../http/originGuard.js';
import { securityHeaders, type CspOverrides } from '../http/securityHeaders.js';
import { serveApp } from '../http/serveApp.js';
import { createAllowAllPermissions, createGuestAuth, createLogAudit } from '../services/auth.js';
import { EventBus } from '../services/events.js';
import { Scheduler } from '../services/scheduler.js';
import { createLogger } from './createLogger.js';
import { StartupError } from './StartupError.js';
import { hostMigrations } from './hostMigrations.js';
import { listen } from './listen.js';
import { orderPlugins } from './orderPlugins.js';
import { PluginRuntime, schemaFor } from './PluginRuntime.js';
import { ATRIUM_VERSION } from './version.js';
import { resolveDataDir } from '../config/resolveDataDir.js';

export interface BackendOptions {
  config: ConfigBundle;
  plugins: BackendPlugin[];
  logger?: Logger;
  /** Directory of the built frontend; null serves no frontend. */
  appDistDir?: string | null;
  /** Use an already open database instead of the one config describes (tests). */
  database?: Database;
  replicaId?: string;
}

export interface Backend {
  readonly app: Express;
  readonly logger: Logger;
  readonly replicaId: string;
  /** Starts everything and listens; resolves with the bound URL. */
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  /** A service a plugin provided, for tests and the CLI. */
  service<T>(ref: ServiceRef<T>): T;
  events: EventBus;
  scheduler: Scheduler;
  database: Database;
}

/**
 * The plugin host: validates config, opens the database, starts plugins in dependency order,
 * and serves their routers, the host endpoints and the built app on one port.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const { config } = options;
  const logger = options.logger ?? createLogger();
  const replicaId = options.replicaId ?? randomUUID();
  const ordered = orderPlugins(options.plugins);

  const configWarnings = validateConfig(
    config,
    [
      { key: '', schema: backendConfigSchema, whole: true },
      ...options.plugins.filter((p) => p.configSchema).map((p) => ({ key: p.id, schema: p.configSchema! })),
    ],
    { knownSections: [...HOST_CONFIG_SECTIONS, ...options.plugins.map((p) => p.id)] },
  );
  for (const warning of configWarnings) logger.warn(warning);

  const database = options.database ?? (await openDatabase(config));
  let hostDb: Knex;
  try {
    hostDb = await database.withStartupLock(async () => {
      const knex = await database.forSchema('atrium_host');
      await runMigrations(knex, 'atrium_host', hostMigrations);
      return knex;
    });
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
  const pollIntervalMs = (config.get('backend.scheduler.pollIntervalMs') as number | undefined) ?? 1000;
  const scheduler = new Scheduler(hostDb, replicaId, logger.child({ component: 'scheduler' }), pollIntervalMs);
  const events = new EventBus(logger.child({ component: 'events' }), hostDb, database.connectionConfig as never, replicaId);
  if (database.connectionConfig) {
    scheduler.forPlugin('host').every('host.prune-event-payloads', { intervalSeconds: 600, runOnStart: false }, async () => {
      await events.pruneStoredPayloads();
    });
  }

  const runtimes = new Map<string, PluginRuntime>();
  for (const node of ordered) runtimes.set(node.plugin.id, new PluginRuntime(node.plugin, node.dependsOn, schemaFor(node.plugin.id), node.optional));
  const startedAt = new Date();
  const host: HostInfoService = {
    version: ATRIUM_VERSION,
    startedAt,
    dataDir: resolveDataDir(config),
    database: () => database.info,
    plugins: () => Promise.all([...runtimes.values()].map((r) => r.describe())),
    jobs: () => scheduler.status(),
  };

  const baseUrl = String(config.get('backend.baseUrl') ?? 'http://localhost:7007').replace(/\/$/, '');
  let boundPort: number | undefined;
  const originPolicy = new OriginPolicy({
    baseUrl: new URL(baseUrl),
    allowedOrigins: ((config.get('backend.allowedOrigins') as string[] | undefined) ?? []).map((o) => new URL(o)),
    boundPort: () => boundPort,
  });

  const metrics = createMetrics(options.plugins.map((p) => p.id));
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(metrics.middleware);
  app.use(hostGuard(originPolicy));
  app.use(securityHeaders(new URL(baseUrl), config.get('backend.csp') as CspOverrides | undefined));
  let ready = false;
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const plugins = await Promise.all([...runtimes.values()].map(async (r) => ({ id: r.plugin.id, status: r.status, health: await r.health() })));
    // A replica that no longer hears the others' events serves stale caches: not ready.
    const eventsHealth = events.status();
    const ok = ready && eventsHealth.status !== 'down' && plugins.every((p) => p.status === 'running' && p.health.status !== 'down');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : ready ? 'unhealthy' : 'starting', events: eventsHealth, plugins });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const openapi = mergeOpenApi(options.plugins, ATRIUM_VERSION);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  const maxBody = (config.get('backend.maxRequestBodyBytes') as number | undefined) ?? 10 * 1024 * 1024;
  app.use('/api', originGuard(originPolicy), jsonMutationGuard);
  app.use('/api', express.json({ limit: maxBody, strict: false, verify: (req, _res, buf) => markPossibleNul(req as never, buf) }));
  app.use('/api', nulGuard);

  const auth = createGuestAuth();
  const permissions = createAllowAllPermissions();
  const audit = createLogAudit(logger.child({ component: 'audit' }));
  const shutdownHooks: Array<() => void | Promise<void>> = [];

  for (const runtime of runtimes.values()) {
    app.use(
      `/api/${runtime.plugin.id}`,
      (_req, _res, next) => {
        if (runtime.status === 'running') return next();
        next(new ServiceUnavailableError(
          runtime.status === 'failed'
            ? `The ${runtime.plugin.id} plugin failed to start: ${runtime.error}`
            : `The ${runtime.plugin.id} plugin is ${runtime.status}`,
        ));
      },
      runtime.router,
    );
  }
  app.use('/api', apiNotFound);
  serveApp(app, options.appDistDir ?? undefined);
  app.use(errorHandler(logger));

  async function startPlugin(runtime: PluginRuntime): Promise<void> {
    const { plugin } = runtime;
    const started = Date.now();
    const failedDep = runtime.dependsOn.find((d) => !runtime.optionalDependsOn.includes(d) && runtimes.get(d)?.status !== 'running');
    if (failedDep) throw new Error(`it depends on the ${failedDep} plugin, which did not start`);
    const db = await database.withStartupLock(async () => {
      const knex = await database.forSchema(runtime.schema);
      runtime.db = knex;
      await runMigrations(knex, runtime.schema, plugin.migrations ?? []);
      return knex;
    });
    const provided = (ref: ServiceRef<unknown>) =>
      [...runtimes.values()].find((r) => r.plugin.provides?.id === ref.id && r.status === 'running')?.provided;
    const deps: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries((plugin.deps ?? {}) as Record<string, ServiceRef<unknown>>)) deps[name] = provided(ref);
    const optionalDeps: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries((plugin.optionalDeps ?? {}) as Record<string, ServiceRef<unknown>>)) {
      optionalDeps[name] = provided(ref);
    }
    const ctx: PluginContext<unknown, Record<string, ServiceRef<unknown>>, Record<string, ServiceRef<unknown>>> = {
      pluginId: plugin.id,
      router: runtime.router,
      db,
      dbSchema: runtime.schema,
      config: config.data[plugin.id] ?? {},
      rootConfig: config.data,
      configBaseDir: (keyPath) => config.baseDirOf(keyPath),
      logger: logger.child({ plugin: plugin.id }),
      scheduler: scheduler.forPlugin(plugin.id),
      events: events.service(),
      auth,
      permissions,
      audit,
      lifecycle: { onShutdown: (fn) => shutdownHooks.push(fn) },
      host,
      baseUrl,
      deps: deps as never,
      optionalDeps: optionalDeps as never,
    };
    runtime.provided = await plugin.setup(ctx as never);
    if (plugin.provides && runtime.provided === undefined) {
      throw new Error(`setup() must return the "${plugin.provides.id}" service it declares in provides`);
    }
    runtime.startupMs = Date.now() - started;
    runtime.status = 'running';
  }

  let server: Server | undefined;
  let stopped = false;
  const backend: Backend = {
    app,
    logger,
    replicaId,
    events,
    scheduler,
    database,
    service<T>(ref: ServiceRef<T>): T {
      const runtime = [...runtimes.values()].find((r) => r.plugin.provides?.id === ref.id);
      if (!runtime || runtime.status !== 'running') throw new Error(`Service ${ref.id} is not available`);
      return runtime.provided as T;
    },
    async start() {
      await events.start();
      for (const runtime of runtimes.values()) {
        try {
          await startPlugin(runtime);
          logger.info({ plugin: runtime.plugin.id, startupMs: runtime.startupMs }, `plugin ${runtime.plugin.id} started`);
        } catch (e) {
          runtime.status = 'failed';
          runtime.error = e instanceof Error ? e.message : String(e);
          if (e instanceof ConfigError) {
            // Wrong config is the operator's to fix: stop the start, naming the file and the key.
            await backend.stop();
            throw new StartupError(`Invalid configuration: ${config.originOf(e.key) ?? 'the defaults'}: ${e.key}: ${e.message}`, { cause: e });
          }
          logger.error({ plugin: runtime.plugin.id, err: e }, `plugin ${runtime.plugin.id} failed to start: ${runtime.error}`);
        }
      }
      await scheduler.start();
      const port = Number(config.get('backend.listen.port') ?? 7007);
      const listenHost = config.get('backend.listen.host') as string | undefined;
      try {
        server = await listen(app, port, listenHost, config.originOf('backend.listen.port'));
      } catch (e) {
        await backend.stop();
        throw e;
      }
      ready = true;
      const address = server.address();
      boundPort = typeof address === 'object' && address ? address.port : port;
      return { url: `http://localhost:${boundPort}`, port: boundPort };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ready = false;
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      // Signal jobs first, then let plugins stop their own workers, then wait for jobs: a job
      // that ignores its signal must not hold up the plugins' shutdown.
      scheduler.stop();
      for (const hook of shutdownHooks.reverse()) {
        try {
          await hook();
        } catch (e) {
          logger.warn({ err: e }, 'a shutdown hook failed');
        }
      }
      await scheduler.drain();
      await events.stop();
      for (const r of runtimes.values()) if (r.status === 'running') r.status = 'stopped';
      await database.close();
    },
  };
  return backend;
}
