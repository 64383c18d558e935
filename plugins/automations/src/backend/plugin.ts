import { coreServices, definePlugin, InputError, mountRoutes } from '@atrium/backend-plugin-api';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { notificationsServiceRef, type NotificationsService } from '@atrium/plugin-notifications/backend';
import { scaffolderActionsRef } from '@atrium/plugin-scaffolder/backend';
import { EntityActions } from './actions/entityActions.js';
import type { Entity } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import { BUILTIN_TRIGGERS } from '../common/index.js';
import { automationsConfigSchema, type AutomationsConfig } from './config.js';
import { compileAll, isAutomationEntity, type Automation } from './definitions.js';
import { DeliveryWorker, type Mailer } from './delivery.js';
import { Engine } from './engine.js';
import { automationsMigrations } from './migrations.js';
import { automationsOpenApi } from './openapi.js';
import { automationsPermissions } from './permissions.js';
import { automationsRoutes } from './routes.js';
import { automationsServiceRef, type AutomationsService } from './service.js';
import { BusFeed, EventLogSource } from './source.js';

const TIMERS_JOB = 'automations.timers';
const TRIGGER_TYPE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/;

/**
 * Automations: when an event happens (a catalog change, a plugin's trigger, a timer, a
 * schedule) and a CEL condition holds, run actions (webhooks, chat, notifications, email,
 * events). See docs/automations.md.
 */
export const automationsPlugin = definePlugin<
  AutomationsConfig,
  { catalog: typeof catalogServiceRef; eventLog: typeof coreServices.eventLog; workload: typeof coreServices.workload },
  AutomationsService,
  { notifications: typeof notificationsServiceRef; scaffolder: typeof scaffolderActionsRef }
>({
  id: 'automations',
  configSchema: automationsConfigSchema,
  migrations: automationsMigrations,
  deps: { catalog: catalogServiceRef, eventLog: coreServices.eventLog, workload: coreServices.workload },
  optionalDeps: { notifications: notificationsServiceRef, scaffolder: scaffolderActionsRef },
  provides: automationsServiceRef,
  permissions: automationsPermissions,
  openapi: automationsOpenApi,
  routes: automationsRoutes,
  async setup(ctx) {
    const { db, config, logger, scheduler, events, audit, auth, lifecycle, instance, host, deps, optionalDeps, pluginId } = ctx;
    const catalog = deps.catalog;
    const customTriggers = new Map<string, { type: string; description: string; pluginId: string }>();
    let entities: Entity[] = []; // the Automation entities of the last catalog read
    let automations: Automation[] = [];
    // A trigger type was registered since the definitions were compiled.
    let triggersChanged = false;
    let loggedErrors = new Set<string>();

    const compile = () => {
      triggersChanged = false;
      automations = compileAll(entities, config.rules, {
        customTriggers: new Set(customTriggers.keys()),
        secrets: new Set(Object.keys(config.secrets)),
        unavailableActions: new Map<string, string>(
          optionalDeps.scaffolder ? [] : [['scaffolder', 'the scaffolder action is not available: the scaffolder plugin is not installed']],
        ),
      });
    };
    /**
     * The definitions, compiled again first when a trigger type was registered since. The
     * follower asks for them after it has read a page of events, so an event a plugin appends
     * right after registering its trigger type (even in the same tick) meets its rules enabled.
     */
    const current = (): Automation[] => {
      if (triggersChanged) compile();
      return automations;
    };
    const loadDefinitions = async (log = true) => {
      try {
        entities = (await catalog.getEntities({ filter: { kind: 'Automation' } })).items.filter(isAutomationEntity);
      } catch (e) {
        logger.warn({ err: e }, 'could not read Automation entities; keeping the previous definitions');
        return;
      }
      compile();
      const errors = new Set<string>();
      for (const a of automations) for (const err of a.errors) errors.add(`${a.source}: ${err}`);
      if (!log) return;
      for (const err of errors) if (!loggedErrors.has(err)) logger.warn({ definitionError: err }, 'automation not enabled');
      loggedErrors = errors;
    };
    let reloadTimer: NodeJS.Timeout | undefined;
    const reloadSoon = () => {
      if (reloadTimer) return;
      reloadTimer = setTimeout(() => {
        reloadTimer = undefined;
        void loadDefinitions();
      }, 100);
    };

    // Plugins that start after this one register their trigger types in their own setup (their
    // rules are enabled at once, see current()): the first load is not reported, the one just
    // after start-up is.
    await loadDefinitions(false);
    setTimeout(() => void loadDefinitions(), 1000).unref();
    const offCatalog = catalog.onEntityChange((change) => {
      if (change.entityRef.startsWith('automation:')) reloadSoon();
    });

    const eventLog = deps.eventLog;
    const source = new EventLogSource(eventLog);
    const feed = new BusFeed({ events, eventLog, instance, logger });
    const engine = new Engine({ db, config, logger, catalog, source, automations: current });
    await engine.ensureCursor();

    const mailer = createMailer(optionalDeps.notifications);
    // annotate and scaffolder; tasks are started as the plugin's own identity (plugin:automations).
    const entityActions = new EntityActions({ catalog, scaffolder: optionalDeps.scaffolder, audit, logger, caller: auth.serviceCaller(pluginId) });
    const worker = new DeliveryWorker({
      db,
      config,
      logger,
      instance,
      eventLog,
      notifications: optionalDeps.notifications,
      mailer,
      pluginId,
      entityActions,
    });

    // Two loops that every replica runs; the cursor row and the delivery leases decide who does
    // what. The follower reads the log a page at a time and records the runs; the worker sends
    // what is due with its own claims, so sending never waits for a read of the log (and
    // following the log never waits for a webhook).
    let stopped = false;
    let following = false;
    let followAgain = false;
    let timer: NodeJS.Timeout | undefined;
    let followRun: Promise<void> | undefined;
    // The host starts plugins one after another, and those set up after this one register their
    // trigger types in their setup: the log is followed only once every plugin has started, so
    // events of their types already in the log (appended by another replica, or before a restart)
    // are not read while the automations on them are still unknown.
    let pluginsStarted = false;
    const everyPluginStarted = async (): Promise<boolean> => {
      if (!pluginsStarted) pluginsStarted = (await host.plugins()).every((p) => p.status !== 'starting');
      return pluginsStarted;
    };
    const consumeAfterBulk = async (): Promise<number> => {
      await deps.workload.whenIdle();
      return stopped ? 0 : engine.consumeOnce();
    };
    const followPages = async () => {
      try {
        if (!(await everyPluginStarted())) return;
        do {
          followAgain = false;
          // A bulk ingest (thousands of catalog changes) is followed once it ends, or a page every
          // 10 s while it stalls (60 s at most while it progresses): its runs are the same, and the ingest is not
          // slowed by them.
          while (!stopped && (await consumeAfterBulk()) > 0) worker.wake();
        } while (followAgain && !stopped);
      } catch (e) {
        if (!stopped) logger.error({ err: e }, 'automations: following the event log failed; retrying');
      } finally {
        following = false;
      }
    };
    const follow = (): Promise<void> => {
      if (following) {
        followAgain = true;
        return Promise.resolve();
      }
      following = true;
      followRun = followPages();
      return followRun;
    };
    const kick = () => {
      void follow();
      worker.wake();
    };
    // The poll is the fallback (and what finds retries whose time has come).
    const loop = () => {
      if (stopped) return;
      timer = setTimeout(() => {
        worker.wake();
        void follow().finally(loop);
      }, config.pollIntervalMs);
    };
    loop();

    feed.start();
    // Any replica's append wakes the follower at once.
    const offAppended = events.subscribe('host.eventlog.appended', () => void follow());

    scheduler.every(TIMERS_JOB, { intervalSeconds: config.timerIntervalSeconds }, async () => {
      const fired = await engine.fireTimers(new Date());
      if (fired) kick();
    });
    const definitionsTimer = setInterval(() => void loadDefinitions(), 60_000);
    definitionsTimer.unref();

    lifecycle.onShutdown(async () => {
      stopped = true;
      offCatalog();
      offAppended();
      clearInterval(definitionsTimer);
      if (timer) clearTimeout(timer);
      if (reloadTimer) clearTimeout(reloadTimer);
      feed.stop();
      await followRun;
      await worker.stop();
    });

    mountRoutes(ctx, automationsRoutes, {
      db,
      audit,
      catalog,
      engine,
      automations: current,
      customTriggers: () => [...customTriggers.values()],
      kick,
      checkAction: (type, request) => entityActions.check(type, request),
    });

    return {
      registerTrigger(trigger) {
        if (!TRIGGER_TYPE.test(trigger.type)) throw new Error(`Trigger type ${JSON.stringify(trigger.type)} must look like <plugin>.<name> in lower case`);
        if (trigger.type in BUILTIN_TRIGGERS) throw new Error(`Trigger type ${trigger.type} is built in`);
        customTriggers.set(trigger.type, { type: trigger.type, description: trigger.description, pluginId: trigger.type.split('.')[0]! });
        // No debounce: the rules on it are compiled before the follower plans its next page.
        triggersChanged = true;
      },
      async emit(type, event = {}, options = {}) {
        if (!customTriggers.has(type) && !(type in BUILTIN_TRIGGERS)) throw new InputError(`Unknown trigger type ${type}: register it first`);
        const trx = options.trx as Knex.Transaction | undefined;
        await eventLog.append(
          [{ topic: type, payload: event.payload ?? {}, ...(event.entityRef ? { entityRef: event.entityRef } : {}), meta: { hop: event.hop ?? 0 } }],
          trx ? { trx } : {},
        );
        if (!trx) kick();
      },
    };
  },
});

/** The email channel is the notifications plugin's (`notifications.email`); none without it. */
function createMailer(notifications: NotificationsService | undefined): Mailer | undefined {
  if (!notifications || typeof notifications.sendEmail !== 'function') return undefined;
  return {
    enabled: () => notifications.emailEnabled,
    send: async (m) => void (await notifications.sendEmail({ to: m.to, subject: m.subject, text: m.text })),
  };
}
