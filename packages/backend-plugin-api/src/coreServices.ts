import { createGuestAuth } from './defaults/guestAuth.js';
import { createLogAudit } from './defaults/logAudit.js';
import { createAllowAllPermissions } from './defaults/permissions.js';
import { createCoreServiceRef } from './serviceFactory.js';
import type { EventLogService } from './eventLog.js';
import { createWorkload, type WorkloadService } from './workload.js';
import type {
  AuditLogService,
  AuditService,
  AuthService,
  ConfigService,
  DatabaseService,
  EventsService,
  HostInfoService,
  InstanceService,
  LifecycleService,
  Logger,
  PermissionsService,
  SchedulerService,
} from './services.js';

const rootConfig = createCoreServiceRef<ConfigService, 'root'>({ id: 'core.rootConfig', scope: 'root' });
const rootLogger = createCoreServiceRef<Logger, 'root'>({ id: 'core.rootLogger', scope: 'root' });
const rootLifecycle = createCoreServiceRef<LifecycleService, 'root'>({ id: 'core.rootLifecycle', scope: 'root' });

/**
 * The services the host gives every plugin. Each is built by a factory: the host's default, or
 * one passed to `createBackend({ services })` / `startTestBackend({ services })`, e.g.
 * `createServiceFactory(coreServices.permissions, () => myPolicy)`. Plugins receive them as
 * `setup(ctx)` fields (`ctx.permissions`, `ctx.instance`, ...) and may also list them in `deps`.
 *
 * Root services exist once per backend; plugin services once per plugin. The host supplies the
 * defaults for the ones without `defaultCreate` here (config, loggers, database, instance,
 * scheduler, events, lifecycle, host).
 */
export const coreServices = {
  /** The whole merged config (`ctx.rootConfig` is its data, `ctx.configBaseDir` its base dirs). */
  rootConfig,
  /** The process logger; the per-plugin loggers are its children. */
  rootLogger,
  /** A logger tagged `plugin: <id>` (`ctx.logger`). */
  logger: createCoreServiceRef<Logger, 'plugin'>({
    id: 'core.logger',
    scope: 'plugin',
    defaultCreate: async ({ pluginId, get }) => (await get(rootLogger)).child({ plugin: pluginId }),
  }),
  /** This replica: its id, the version running and when it started (`ctx.instance`). */
  instance: createCoreServiceRef<InstanceService, 'root'>({ id: 'core.instance', scope: 'root' }),
  /** The open database every plugin's schema lives in (plugins get `ctx.db` on their own schema). */
  database: createCoreServiceRef<DatabaseService, 'root'>({ id: 'core.database', scope: 'root' }),
  /** Who is calling (`ctx.auth`); default: everyone is the guest. */
  auth: createCoreServiceRef<AuthService, 'root'>({ id: 'core.auth', scope: 'root', defaultCreate: () => createGuestAuth() }),
  /** May this caller do this (`ctx.permissions`); default: everything is allowed. */
  permissions: createCoreServiceRef<PermissionsService, 'root'>({
    id: 'core.permissions',
    scope: 'root',
    defaultCreate: () => createAllowAllPermissions(),
  }),
  /** The audit trail (`ctx.audit`); the host's default is the durable hash-chained log, the pure default log lines with `audit: true`. */
  audit: createCoreServiceRef<AuditService, 'root'>({
    id: 'core.audit',
    scope: 'root',
    defaultCreate: async ({ get }) => createLogAudit((await get(rootLogger)).child({ component: 'audit' })),
  }),
  /** Reading and verifying the durable audit log (the host's store; no pure default). */
  auditLog: createCoreServiceRef<AuditLogService, 'root'>({ id: 'core.auditLog', scope: 'root' }),
  /** Recurring jobs, once per tick across replicas (`ctx.scheduler`). */
  scheduler: createCoreServiceRef<SchedulerService, 'plugin'>({ id: 'core.scheduler', scope: 'plugin' }),
  /** Publish/subscribe across plugins and replicas (`ctx.events`). */
  events: createCoreServiceRef<EventsService, 'root'>({ id: 'core.events', scope: 'root' }),
  /** The durable, ordered event log: append in the change's transaction, read/follow by id (`deps: { eventLog: coreServices.eventLog }`). */
  eventLog: createCoreServiceRef<EventLogService, 'root'>({ id: 'core.eventLog', scope: 'root' }),
  /** Shutdown hooks of the whole backend, run in reverse order of registration. */
  rootLifecycle,
  /** A plugin's shutdown hooks (`ctx.lifecycle`); a failing hook is logged on the plugin's logger. */
  lifecycle: createCoreServiceRef<LifecycleService, 'plugin'>({
    id: 'core.lifecycle',
    scope: 'plugin',
    defaultCreate: async ({ get }) => {
      const root = await get(rootLifecycle);
      const logger = await get(coreServices.logger);
      return {
        onShutdown: (fn) =>
          root.onShutdown(async () => {
            try {
              await fn();
            } catch (e) {
              logger.warn({ err: e }, 'a shutdown hook failed');
            }
          }),
      };
    },
  }),
  /** Bulk work running in this process (a catalog ingest), for reactions to yield to (`deps: { workload: coreServices.workload }`). */
  workload: createCoreServiceRef<WorkloadService, 'root'>({ id: 'core.workload', scope: 'root', defaultCreate: () => createWorkload() }),
  /** Facts about the running host for admin pages (`ctx.host`). */
  host: createCoreServiceRef<HostInfoService, 'root'>({ id: 'core.host', scope: 'root' }),
} as const;
