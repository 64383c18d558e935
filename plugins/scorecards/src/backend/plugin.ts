import path from 'node:path';
import { createServiceRef, definePlugin } from '@atrium/backend-plugin-api';
import { catalogServiceRef, CATALOG_EVENTS, type EntityRemovedEvent, type EntityUpsertedEvent } from '@atrium/plugin-catalog/backend';
import { customRelationTypes, resolveGitCacheDir, scorecardsConfigSchema, type ScorecardsConfig } from './config.js';
import { catalogFactProvider, techdocsFactProvider } from './facts/builtins.js';
import { gitFactProvider } from './facts/git.js';
import type { ScorecardsFactsService } from './facts/types.js';
import { scorecardsMigrations } from './migrations.js';
import { notificationsServiceRef } from '@atrium/plugin-notifications/backend';
import { Notifier } from './notifier.js';
import { scorecardsOpenApi } from './openapi.js';
import { registerRoutes } from './routes.js';
import { ScorecardsRuntime } from './runtime.js';
import { ScorecardStore } from './store.js';

/** Other plugins add fact providers through this service (e.g. TechDocs, CI, on-call). */
export const scorecardsFactsRef = createServiceRef<ScorecardsFactsService>('scorecards.facts');

const SWEEP_JOB = 'scorecards.evaluate-all';

/** Scorecards and initiatives: rules over catalog entities and their facts, levels, history, rollups. */
export const scorecardsPlugin = definePlugin<ScorecardsConfig, { catalog: typeof catalogServiceRef }, ScorecardsFactsService, { notifications: typeof notificationsServiceRef }>({
  id: 'scorecards',
  configSchema: scorecardsConfigSchema,
  migrations: scorecardsMigrations,
  deps: { catalog: catalogServiceRef },
  // Level drops and deadline reminders go to the notifications plugin when it is installed.
  optionalDeps: { notifications: notificationsServiceRef },
  provides: scorecardsFactsRef,
  openapi: scorecardsOpenApi,
  async setup({ router, db, config, configBaseDir, rootConfig, logger, scheduler, events, auth, permissions, audit, lifecycle, host, deps, optionalDeps }) {
    const store = new ScorecardStore(db, host.database().mode);
    const notifier = new Notifier(optionalDeps.notifications, config.notifications, logger);
    const runtime = new ScorecardsRuntime({ config, catalog: deps.catalog, store, notifier, logger, relationTypes: customRelationTypes(rootConfig['catalog']) });

    // TechDocs build outcomes: the fact stays unknown until a TechDocs plugin reports one.
    let techdocsSeen = (await store.techdocsBuilds()).size > 0;
    let techdocsBuilds = await store.techdocsBuilds();
    runtime.registerFactProvider(catalogFactProvider);
    runtime.registerFactProvider(techdocsFactProvider(() => ({ seenAny: techdocsSeen, builds: techdocsBuilds })));
    if (config.git.enabled) {
      const catalogConfig = (rootConfig['catalog'] ?? {}) as { readers?: { fileRoots?: string[] } };
      runtime.registerFactProvider(
        gitFactProvider({
          cacheDir: resolveGitCacheDir(host.dataDir, config.git.cacheDir),
          fileRoots: (catalogConfig.readers?.fileRoots ?? []).map((r) => path.resolve(configBaseDir('catalog.readers.fileRoots'), r)),
          allowPrivateNetworks: config.git.allowPrivateNetworks,
          logger,
        }),
      );
    }
    events.subscribe<{ entityRef?: unknown; status?: unknown; ok?: unknown; success?: unknown }>('techdocs.*', async (event) => {
      const { entityRef } = event.payload ?? {};
      if (typeof entityRef !== 'string') return;
      const status = event.payload.status;
      const ok = event.payload.ok ?? event.payload.success ?? (typeof status === 'string' ? ['succeeded', 'success', 'ok', 'built', 'published'].includes(status) : undefined);
      if (typeof ok !== 'boolean') return;
      await store.recordTechdocsBuild(entityRef.toLowerCase(), ok, new Date());
      techdocsSeen = true;
      techdocsBuilds = await store.techdocsBuilds();
      runtime.enqueue(entityRef);
    });

    events.subscribe<EntityUpsertedEvent>(CATALOG_EVENTS.entityUpserted, (event) => {
      const ref = event.payload.entityRef;
      if (/^(scorecard|initiative):/i.test(ref)) void scheduler.trigger(SWEEP_JOB).catch((err: unknown) => logger.error({ err }, 'scorecards: sweep failed'));
      else runtime.enqueue(ref);
    });
    events.subscribe<EntityRemovedEvent>(CATALOG_EVENTS.entityRemoved, async (event) => {
      await runtime.removed(event.payload.entityRef);
    });

    scheduler.every(SWEEP_JOB, { intervalSeconds: config.evaluationIntervalSeconds, runOnStart: true, timeoutSeconds: 30 * 60 }, async (signal) => {
      await runtime.sweep(signal);
    });
    lifecycle.onShutdown(() => runtime.stop());

    registerRoutes(router, { runtime, store, catalog: deps.catalog, auth, permissions, audit, triggerSweep: () => scheduler.trigger(SWEEP_JOB) });
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
