import { coreServices, createServiceRef, definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { sourcesServiceRef } from '@atrium/source-readers';
import { customRelationTypes, resolveGitCacheDir, scorecardsConfigSchema, type ScorecardsConfig } from './config.js';
import { catalogFactProvider } from './facts/builtins.js';
import { gitFactProvider } from './facts/git.js';
import { followTechdocsBuilds } from './facts/techdocs.js';
import type { ScorecardsFactsService } from './facts/types.js';
import { scorecardsMigrations } from './migrations.js';
import { notificationsServiceRef } from '@atrium/plugin-notifications/backend';
import { Notifier } from './notifier.js';
import { scorecardsOpenApi } from './openapi.js';
import { scorecardsRoutes } from './routes/index.js';
import { ScorecardsRuntime } from './runtime.js';
import { ScorecardStore } from './store.js';
import { scorecardsPermissions } from './permissions.js';

/** Other plugins add fact providers through this service (e.g. TechDocs, CI, on-call). */
export const scorecardsFactsRef = createServiceRef<ScorecardsFactsService>('scorecards.facts');

const SWEEP_JOB = 'scorecards.evaluate-all';

/** Scorecards and initiatives: rules over catalog entities and their facts, levels, history, rollups. */
export const scorecardsPlugin = definePlugin<
  ScorecardsConfig,
  {
    catalog: typeof catalogServiceRef;
    sources: typeof sourcesServiceRef;
    eventLog: typeof coreServices.eventLog;
    workload: typeof coreServices.workload;
  },
  ScorecardsFactsService,
  { notifications: typeof notificationsServiceRef }
>({
  id: 'scorecards',
  permissions: scorecardsPermissions,
  configSchema: scorecardsConfigSchema,
  migrations: scorecardsMigrations,
  // Readable file roots come from the shared sources service (backend.reading), not the catalog's section.
  deps: { catalog: catalogServiceRef, sources: sourcesServiceRef, eventLog: coreServices.eventLog, workload: coreServices.workload },
  // Level drops and deadline reminders go to the notifications plugin when it is installed.
  optionalDeps: { notifications: notificationsServiceRef },
  provides: scorecardsFactsRef,
  openapi: scorecardsOpenApi,
  routes: scorecardsRoutes,
  async setup(ctx) {
    const { db, config, rootConfig, logger, scheduler, events, audit, lifecycle, host, deps, optionalDeps } = ctx;
    const store = new ScorecardStore(db, host.database().mode, deps.eventLog);
    const notifier = new Notifier(optionalDeps.notifications, config.notifications, logger);
    const runtime = new ScorecardsRuntime({
      config,
      catalog: deps.catalog,
      store,
      notifier,
      logger,
      relationTypes: customRelationTypes(rootConfig['catalog']),
      // Catalog changes wait while the catalog ingests in bulk (coalescing), then catch up.
      workload: deps.workload,
    });

    runtime.registerFactProvider(catalogFactProvider);
    // TechDocs build outcomes, from the topic TechDocs declares: unknown until one is reported.
    const unfollowTechdocs = await followTechdocsBuilds({
      events,
      store,
      logger,
      register: (provider) => runtime.registerFactProvider(provider),
      onBuild: (entityRef) => runtime.enqueue(entityRef),
    });
    if (config.git.enabled) {
      runtime.registerFactProvider(
        gitFactProvider({
          cacheDir: config.git.cacheDir ? resolveGitCacheDir(host.dataDir, config.git.cacheDir) : deps.sources.gitCacheDir,
          fileRoots: deps.sources.fileRoots,
          allowPrivateNetworks: config.git.allowPrivateNetworks,
          logger,
        }),
      );
    }
    // Catalog changes: a changed definition re-reads them all (a sweep, and the next batch reads
    // definitions again), any other entity is queued and evaluated with others in a batch.
    const unfollowCatalog = deps.catalog.onEntityChange((change) => {
      if (change.type === 'removed') runtime.removed(change.entityRef);
      else if (/^(scorecard|initiative):/i.test(change.entityRef)) {
        runtime.definitionsChanged();
        void scheduler.trigger(SWEEP_JOB).catch((err: unknown) => logger.error({ err }, 'scorecards: sweep failed'));
      } else runtime.enqueue(change.entityRef);
    });

    scheduler.every(SWEEP_JOB, { intervalSeconds: config.evaluationIntervalSeconds, runOnStart: true, timeoutSeconds: 30 * 60 }, async (signal) => {
      await runtime.sweep(signal);
    });
    lifecycle.onShutdown(async () => {
      unfollowCatalog();
      await unfollowTechdocs();
      await runtime.stop();
    });

    mountRoutes(ctx, scorecardsRoutes, {
      runtime,
      store,
      catalog: deps.catalog,
      audit,
      permissions: ctx.permissions,
      triggerSweep: () => scheduler.trigger(SWEEP_JOB),
    });
    return {
      registerFactProvider(provider) {
        runtime.registerFactProvider(provider);
      },
    };
  },
  health() {
    return { status: 'ok' };
  },
});
