import { randomUUID } from 'node:crypto';
import {
  coreServices,
  createCoreServiceRef,
  createServiceFactory,
  type DatabaseService,
  type InstanceService,
  type Logger,
  type ServiceFactory,
} from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import { AuditStore } from '../audit/AuditStore.js';
import { createDurableAudit } from '../audit/durableAudit.js';
import { createEventLog } from '../eventLog/createEventLog.js';
import { EventLogStore } from '../eventLog/EventLogStore.js';
import { authServiceFactories } from '../auth/authServices.js';
import { resolveDataDir } from '../config/resolveDataDir.js';
import { openDatabase } from '../database/openDatabase.js';
import { permissionServiceFactories } from '../permissions/permissionServices.js';
import { runMigrations } from '../database/runMigrations.js';
import { EventBus } from '../services/events.js';
import { Scheduler } from '../services/scheduler.js';
import type { BackendOptions } from './createBackend.js';
import { createLogger } from './createLogger.js';
import { hostMigrations } from './hostMigrations.js';
import type { PluginRuntime } from './PluginRuntime.js';
import { ATRIUM_VERSION } from './version.js';

/** The host's own parts, built like core services but not replaceable (not in coreServices). */
export const hostDbRef = createCoreServiceRef<Knex, 'root'>({ id: 'host.db', scope: 'root' });
export const hostSchedulerRef = createCoreServiceRef<Scheduler, 'root'>({ id: 'host.scheduler', scope: 'root' });
export const hostEventBusRef = createCoreServiceRef<EventBus, 'root'>({ id: 'host.eventBus', scope: 'root' });
export const hostEventLogStoreRef = createCoreServiceRef<EventLogStore, 'root'>({ id: 'host.eventLogStore', scope: 'root' });
export const hostAuditStoreRef = createCoreServiceRef<AuditStore, 'root'>({ id: 'host.auditStore', scope: 'root' });
export const shutdownHooksRef = createCoreServiceRef<Array<() => void | Promise<void>>, 'root'>({ id: 'host.shutdownHooks', scope: 'root' });

/**
 * The host's default factories for the core services whose refs carry no default (config,
 * loggers, instance, database, scheduler, events, lifecycle, host info, audit log), the durable
 * audit service (over the ref's log-only default), plus its own parts.
 */
export function hostServiceFactories(options: BackendOptions, runtimes: ReadonlyMap<string, PluginRuntime>): ServiceFactory[] {
  return [
    createServiceFactory(coreServices.rootConfig, () => options.config),
    createServiceFactory(coreServices.rootLogger, (): Logger => options.logger ?? createLogger()),
    createServiceFactory(coreServices.instance, (): InstanceService =>
      Object.freeze({ replicaId: options.replicaId ?? randomUUID(), version: ATRIUM_VERSION, startedAt: new Date() }),
    ),
    createServiceFactory(
      coreServices.database,
      async ({ get }): Promise<DatabaseService> => options.database ?? (await openDatabase(await get(coreServices.rootConfig))),
    ),
    createServiceFactory(hostDbRef, async ({ get }) => {
      const database = await get(coreServices.database);
      try {
        return await database.withStartupLock(async () => {
          const knex = await database.forSchema('atrium_host');
          await runMigrations(knex, 'atrium_host', hostMigrations);
          return knex;
        });
      } catch (e) {
        await database.close().catch(() => {});
        throw e;
      }
    }),
    createServiceFactory(hostSchedulerRef, async ({ get }) => {
      const config = await get(coreServices.rootConfig);
      const pollIntervalMs = (config.get('backend.scheduler.pollIntervalMs') as number | undefined) ?? 1000;
      const logger = (await get(coreServices.rootLogger)).child({ component: 'scheduler' });
      return new Scheduler(await get(hostDbRef), (await get(coreServices.instance)).replicaId, logger, pollIntervalMs);
    }),
    createServiceFactory(hostEventBusRef, async ({ get }) => {
      const database = await get(coreServices.database);
      const logger = (await get(coreServices.rootLogger)).child({ component: 'events' });
      return new EventBus(logger, await get(hostDbRef), database.connectionConfig as never, (await get(coreServices.instance)).replicaId);
    }),
    createServiceFactory(hostAuditStoreRef, async ({ get }) => {
      const config = await get(coreServices.rootConfig);
      const store = new AuditStore(await get(hostDbRef));
      const retentionDays = (config.get('backend.audit.retentionDays') as number | undefined) ?? 365;
      const logger = (await get(coreServices.rootLogger)).child({ component: 'audit' });
      (await get(hostSchedulerRef)).forPlugin('host').every('host.audit.prune', { intervalSeconds: 6 * 3600 }, async () => {
        const removed = await store.prune(new Date(Date.now() - retentionDays * 86_400_000));
        if (removed > 0)
          logger.info({ removed, retentionDays }, `audit log: ${removed} records older than ${retentionDays} days removed (checkpoint recorded)`);
      });
      return store;
    }),
    createServiceFactory(coreServices.audit, async ({ get }) => {
      const config = await get(coreServices.rootConfig);
      return createDurableAudit({
        store: await get(hostAuditStoreRef),
        logger: (await get(coreServices.rootLogger)).child({ component: 'audit' }),
        ...(config.get('backend.audit.stdout') === true ? { jsonLines: (line: string) => void process.stdout.write(line) } : {}),
      });
    }),
    createServiceFactory(hostEventLogStoreRef, async ({ get }) => new EventLogStore(await get(hostDbRef))),
    createServiceFactory(coreServices.eventLog, async ({ get }) => {
      const config = await get(coreServices.rootConfig);
      const store = await get(hostEventLogStoreRef);
      const retentionDays = (config.get('backend.eventLog.retentionDays') as number | undefined) ?? 90;
      const logger = (await get(coreServices.rootLogger)).child({ component: 'eventLog' });
      (await get(hostSchedulerRef)).forPlugin('host').every('host.eventlog.prune', { intervalSeconds: 3600 }, async () => {
        const removed = await store.prune(new Date(Date.now() - retentionDays * 86_400_000));
        if (removed > 0) logger.info({ removed, retentionDays }, `event log: ${removed} events older than ${retentionDays} days removed`);
      });
      return createEventLog({ store, events: (await get(hostEventBusRef)).service(), logger, retentionDays });
    }),
    createServiceFactory(coreServices.auditLog, async ({ get }) => {
      const store = await get(hostAuditStoreRef);
      return { query: (q) => store.query(q), verify: () => store.verify() };
    }),
    ...authServiceFactories(runtimes, hostEventBusRef),
    ...permissionServiceFactories(options.plugins, runtimes),
    createServiceFactory(shutdownHooksRef, () => []),
    createServiceFactory(coreServices.rootLifecycle, async ({ get }) => {
      const hooks = await get(shutdownHooksRef);
      return { onShutdown: (fn) => void hooks.push(fn) };
    }),
    createServiceFactory(coreServices.scheduler, async ({ pluginId, get }) => (await get(hostSchedulerRef)).forPlugin(pluginId)),
    createServiceFactory(coreServices.events, async ({ get }) => (await get(hostEventBusRef)).service()),
    createServiceFactory(coreServices.host, async ({ get }) => {
      const [config, instance, database, scheduler] = await Promise.all([
        get(coreServices.rootConfig),
        get(coreServices.instance),
        get(coreServices.database),
        get(hostSchedulerRef),
      ]);
      return {
        version: instance.version,
        startedAt: instance.startedAt,
        dataDir: resolveDataDir(config),
        database: () => database.info,
        plugins: () => Promise.all([...runtimes.values()].map((r) => r.describe())),
        jobs: () => scheduler.status(),
      };
    }),
  ];
}
