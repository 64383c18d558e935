import { analyzeGrownTables } from '../database/analyzeGrownTables.js';
import type { Server } from 'node:http';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import {
  ConfigError,
  coreServices,
  isCoreServiceRef,
  ServiceRegistry,
  ServiceUnavailableError,
  type BackendPlugin,
  type InstanceService,
  type PluginContext,
  type ServiceFactory,
  type ServiceRef,
} from '@atrium/backend-plugin-api';
import { checkAuthConfig } from '../auth/authConfig.js';
import { authOpenApi } from '../auth/authOpenApi.js';
import { authRouter, clearStaleSessionCookie } from '../auth/authRoutes.js';
import { hostAuthRef, signInRef } from '../auth/authServices.js';
import { mountScim } from '../auth/scim/scimServices.js';
import { signInRouter } from '../auth/signIn/signInRoutes.js';
import type { HostAuth } from '../auth/hostAuth.js';
import type { ConfigBundle } from '../config/ConfigBundle.js';
import { backendConfigSchema, HOST_CONFIG_SECTIONS } from '../config/backendConfigSchema.js';
import { validateConfig } from '../config/validateConfig.js';
import type { Database } from '../database/Database.js';
import { runMigrations } from '../database/runMigrations.js';
import { apiNotFound, errorHandler } from '../http/errorHandler.js';
import { createMetrics } from '../http/metrics.js';
import { jsonMutationGuard } from '../http/jsonMutationGuard.js';
import { markPossibleNul, nulGuard } from '../http/nulGuard.js';
import { mergeOpenApi } from '../http/openapi.js';
import { chain } from '../http/chain.js';
import { requestContext } from '../http/requestContext.js';
import { hostGuard, OriginPolicy, originGuard } from '../http/originGuard.js';
import { securityHeaders, type CspOverrides } from '../http/securityHeaders.js';
import { serveApp } from '../http/serveApp.js';
import { permissionEngineRef } from '../permissions/permissionServices.js';
import { permissionsOpenApi, permissionsRouter } from '../permissions/permissionRoutes.js';
import type { EventBus } from '../services/events.js';
import type { Scheduler } from '../services/scheduler.js';
import { StartupError } from './StartupError.js';
import { hostAuditStoreRef, hostEventBusRef, hostSchedulerRef, hostServiceFactories, shutdownHooksRef } from './hostServices.js';
import { listen } from './listen.js';
import { orderPlugins } from './orderPlugins.js';
import { PluginRuntime, schemaFor } from './PluginRuntime.js';
import { Semaphore } from './Semaphore.js';

/** Plugins whose migrations run at once on a first start (see migrateAll). */
const MIGRATION_CONCURRENCY = 4;

export interface BackendOptions {
  config: ConfigBundle;
  plugins: BackendPlugin[];
  /**
   * Replacements for core services' default factories, one per service, e.g.
   * `createServiceFactory(coreServices.permissions, () => policy)`. They win over the defaults
   * and over the shortcuts below (`logger`, `database`, `replicaId`).
   */
  services?: readonly ServiceFactory[];
  /** The root logger (default: stdout, LOG_LEVEL). */
  logger?: Logger;
  /** Directory of the built frontend; null serves no frontend. */
  appDistDir?: string | null;
  /** Use an already open database instead of the one config describes (tests). */
  database?: Database;
  /** This replica's id (default: a fresh UUID per start). Tests name replicas with it. */
  replicaId?: string;
}

export interface Backend {
  readonly app: Express;
  readonly logger: Logger;
  /** Same as instance.replicaId. */
  readonly replicaId: string;
  readonly instance: InstanceService;
  /** Starts everything and listens; resolves with the bound URL. */
  start(): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
  /** A service a plugin provided, for tests and the CLI. */
  service<T>(ref: ServiceRef<T>): T;
  events: EventBus;
  scheduler: Scheduler;
  database: Database;
  /** The host's auth module (sessions, API tokens), e.g. for tests to start a session. */
  auth: HostAuth;
}

/**
 * The plugin host: validates config, opens the database, starts plugins in dependency order,
 * and serves their routers, the host endpoints and the built app on one port.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const ordered = orderPlugins(options.plugins);
  const runtimes = new Map<string, PluginRuntime>();
  const registry = new ServiceRegistry(hostServiceFactories(options, runtimes), options.services ?? []);
  const config = await registry.get(coreServices.rootConfig);
  const logger = await registry.get(coreServices.rootLogger);

  const configWarnings = validateConfig(
    config,
    [
      { key: '', schema: backendConfigSchema, whole: true },
      ...options.plugins.filter((p) => p.configSchema).map((p) => ({ key: p.id, schema: p.configSchema! })),
    ],
    { knownSections: [...HOST_CONFIG_SECTIONS, ...options.plugins.map((p) => p.id)] },
  );
  for (const warning of configWarnings) logger.warn(warning);
  checkAuthConfig(config, logger);
  // The permission policy is checked against the catalogue before anything opens (start refused with file and key).
  const permissionEngine = await registry.get(permissionEngineRef);

  const database = await registry.get(coreServices.database);
  const instance = await registry.get(coreServices.instance);
  const scheduler = await registry.get(hostSchedulerRef);
  const events = await registry.get(hostEventBusRef);
  if (database.connectionConfig) {
    scheduler.forPlugin('host').every('host.prune-event-payloads', { intervalSeconds: 600, runOnStart: false }, async () => {
      await events.pruneStoredPayloads();
    });
  }

  for (const node of ordered) runtimes.set(node.plugin.id, new PluginRuntime(node.plugin, node.dependsOn, schemaFor(node.plugin.id), node.optional));
  // Built now so a data directory that cannot be written stops the start, as before any plugin runs.
  await registry.get(coreServices.host);
  // The audit store schedules its retention prune even when the audit service is overridden.
  await registry.get(hostAuditStoreRef);

  // The embedded database has no autovacuum: a table that grew by a fifth is analyzed, as
  // autovacuum would on a server (analyzeGrownTables.ts).
  if (database.info.mode === 'embedded') {
    const hostDb = await database.forSchema('atrium_host');
    scheduler.forPlugin('host').every('host.table-statistics', { intervalSeconds: 30 }, async () => {
      const analyzed = await analyzeGrownTables(hostDb);
      if (analyzed.length > 0) logger.debug({ tables: analyzed }, 'embedded database: statistics of grown tables refreshed');
    });
  }

  const hostAuth = await registry.get(hostAuthRef);
  scheduler.forPlugin('host').every('host.auth.prune-sessions', { intervalSeconds: 3600, runOnStart: false }, async () => {
    await hostAuth.sessions.prune();
  });

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
  // Every request's checks run as one middleware each group (see chain.ts: one Express layer, not four).
  app.use(
    chain([
      metrics.middleware,
      requestContext,
      hostGuard(originPolicy),
      securityHeaders(new URL(baseUrl), config.get('backend.csp') as CspOverrides | undefined),
    ]),
  );
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
  const openapi = mergeOpenApi(options.plugins, instance.version, [
    { mount: '/api/auth', fragment: authOpenApi },
    { mount: '/api/permissions', fragment: permissionsOpenApi },
  ]);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  const maxBody = (config.get('backend.maxRequestBodyBytes') as number | undefined) ?? 10 * 1024 * 1024;
  // Sign-in callbacks come from identity providers (a SAML form POST from their origin): before the guards.
  app.use('/api/auth', signInRouter({ hostAuth, signIn: await registry.get(signInRef), audit: await registry.get(coreServices.audit) }));
  const staleCookie = clearStaleSessionCookie(hostAuth);
  app.use(
    '/api',
    chain([
      originGuard(originPolicy),
      jsonMutationGuard,
      express.json({
        limit: maxBody,
        strict: false,
        verify: (req, _res, buf) => {
          markPossibleNul(req as never, buf);
          // The exact bytes, for routes that check a signature over the body (webhooks).
          (req as { rawBody?: Buffer }).rawBody = buf;
        },
      }),
      nulGuard,
      // Only a request with cookies can carry a stale session cookie.
      (req, res, next) => (req.headers.cookie ? staleCookie(req, res, next) : next()),
    ]),
  );
  await mountScim(app, { registry, runtimes, scheduler, baseUrl, maxBodyBytes: maxBody }); // before authRouter: its rate limits are for people
  app.use(
    '/api/auth',
    authRouter({
      hostAuth,
      auth: await registry.get(coreServices.auth),
      permissions: await registry.get(coreServices.permissions),
      audit: await registry.get(coreServices.audit),
    }),
  );
  app.use(
    '/api/permissions',
    permissionsRouter({
      auth: await registry.get(coreServices.auth),
      permissions: await registry.get(coreServices.permissions),
      engine: permissionEngine,
      trustedOrigins: hostAuth.trustedOrigins,
    }),
  );

  const shutdownHooks = await registry.get(shutdownHooksRef);

  for (const runtime of runtimes.values()) {
    app.use(
      `/api/${runtime.plugin.id}`,
      (_req, _res, next) => {
        if (runtime.status === 'running') return next();
        next(
          new ServiceUnavailableError(
            runtime.status === 'failed'
              ? `The ${runtime.plugin.id} plugin failed to start: ${runtime.error}`
              : `The ${runtime.plugin.id} plugin is ${runtime.status}`,
          ),
        );
      },
      runtime.router,
    );
  }
  app.use('/api', apiNotFound);
  serveApp(app, options.appDistDir ?? undefined);
  app.use(errorHandler(logger));

  /** Creates a plugin's schema and runs its pending migrations. */
  async function migratePlugin(runtime: PluginRuntime): Promise<Knex> {
    const started = Date.now();
    const knex = await database.forSchema(runtime.schema);
    runtime.db = knex;
    await runMigrations(knex, runtime.schema, runtime.plugin.migrations ?? []);
    runtime.migrationMs = Date.now() - started;
    return knex;
  }

  /** Each plugin's migration, once started by migrateAll (its knex, or the migration's error). */
  const migrated = new Map<string, Promise<Knex>>();

  /**
   * Every plugin's schema and migrations, before the first setup and under one startup lock
   * (replicas starting together still take turns). A first start creates every plugin's tables:
   * one plugin after another that took ~1 s on a fresh Postgres database (readiness 2.8 s, now
   * 2.0 s; bench/RESULTS.md, session 17), so up to MIGRATION_CONCURRENCY
   * plugins migrate at once, each on its own connections (the embedded database serialises them
   * on its one session). A plugin migrates only after the plugins it depends on, so a migration
   * may read what theirs created; one whose dependency failed to migrate does not migrate.
   */
  async function migrateAll(): Promise<void> {
    await database.withStartupLock(async () => {
      const slots = new Semaphore(MIGRATION_CONCURRENCY);
      for (const runtime of runtimes.values()) {
        const after = (ids: string[]) => ids.flatMap((d) => migrated.get(d) ?? []);
        const optional = runtime.optionalDependsOn;
        const run = (async () => {
          // A required dependency that failed to migrate fails this one too; an optional one does not.
          await Promise.all(after(runtime.dependsOn.filter((d) => !optional.includes(d))));
          await Promise.allSettled(after(optional));
          return slots.run(() => migratePlugin(runtime));
        })();
        run.catch(() => {}); // reported by startPlugin, when the plugin starts
        migrated.set(runtime.plugin.id, run);
      }
      await Promise.allSettled(migrated.values());
    });
  }

  async function startPlugin(runtime: PluginRuntime): Promise<void> {
    const { plugin } = runtime;
    const failedDep = runtime.dependsOn.find((d) => !runtime.optionalDependsOn.includes(d) && runtimes.get(d)?.status !== 'running');
    if (failedDep) throw new Error(`it depends on the ${failedDep} plugin, which did not start`);
    // Migrated before any plugin's setup (migrateAll); a failed migration fails this plugin here.
    const db = await (migrated.get(plugin.id) ?? migratePlugin(runtime));
    const started = Date.now();
    const service = <T>(ref: ServiceRef<T>) => registry.get(ref as never, plugin.id) as Promise<T>;
    const provided = async (ref: ServiceRef<unknown>) =>
      isCoreServiceRef(ref) ? service(ref) : [...runtimes.values()].find((r) => r.plugin.provides?.id === ref.id && r.status === 'running')?.provided;
    const deps: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries((plugin.deps ?? {}) as Record<string, ServiceRef<unknown>>)) deps[name] = await provided(ref);
    const optionalDeps: Record<string, unknown> = {};
    for (const [name, ref] of Object.entries((plugin.optionalDeps ?? {}) as Record<string, ServiceRef<unknown>>)) {
      optionalDeps[name] = await provided(ref);
    }
    const ctx: PluginContext<unknown, Record<string, ServiceRef<unknown>>, Record<string, ServiceRef<unknown>>> = {
      pluginId: plugin.id,
      router: runtime.router,
      db,
      dbSchema: runtime.schema,
      config: config.data[plugin.id] ?? {},
      rootConfig: config.data,
      configBaseDir: (keyPath) => config.baseDirOf(keyPath),
      logger: await service(coreServices.logger),
      scheduler: await service(coreServices.scheduler),
      events: await service(coreServices.events),
      auth: await service(coreServices.auth),
      permissions: await service(coreServices.permissions),
      audit: await service(coreServices.audit),
      lifecycle: await service(coreServices.lifecycle),
      host: await service(coreServices.host),
      instance: await service(coreServices.instance),
      baseUrl,
      deps: deps as never,
      optionalDeps: optionalDeps as never,
    };
    runtime.provided = await plugin.setup(ctx as never);
    if (plugin.provides && runtime.provided === undefined) {
      throw new Error(`setup() must return the "${plugin.provides.id}" service it declares in provides`);
    }
    // Its own migrations plus its setup (not the time it waited for other plugins' migrations).
    runtime.startupMs = (runtime.migrationMs ?? 0) + Date.now() - started;
    runtime.status = 'running';
  }

  let server: Server | undefined;
  let stopped = false;
  const backend: Backend = {
    app,
    logger,
    replicaId: instance.replicaId,
    instance,
    events,
    scheduler,
    database,
    auth: hostAuth,
    service<T>(ref: ServiceRef<T>): T {
      const runtime = [...runtimes.values()].find((r) => r.plugin.provides?.id === ref.id);
      if (!runtime || runtime.status !== 'running') throw new Error(`Service ${ref.id} is not available`);
      return runtime.provided as T;
    },
    async start() {
      await events.start();
      await migrateAll();
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
      // Policy entities of trusted locations extend the config policy from now on (hot reload).
      await permissionEngine.watchPolicyEntities({ audit: await registry.get(coreServices.audit), logger, actor: hostAuth.serviceCaller('permissions') });
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
      permissionEngine.stopWatching();
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
