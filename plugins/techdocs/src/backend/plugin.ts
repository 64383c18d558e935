import { coreServices, createServiceRef, definePlugin, mountRoutes, searchCollatorsServiceRef, type ServiceRef } from '@atrium/backend-plugin-api';
import { catalogServiceRef, type CatalogService } from '@atrium/plugin-catalog/backend';
import { sourcesServiceRef } from '@atrium/source-readers';
import { techdocsBuildFinished, techdocsSitePublished } from '../common/index.js';
import { CatalogSync } from './builds/catalogSync.js';
import { DocsBuilder, type BuildOutcome } from './builds/docsBuilder.js';
import { DocsEntities } from './builds/docsEntities.js';
import { resolveTechdocsSettings, techdocsConfigSchema, type RawTechdocsConfig } from './config.js';
import { techdocsMigrations } from './migrations/index.js';
import { techdocsOpenApi } from './openapi.js';
import { techdocsRoutes } from './routes/index.js';
import { SearchIndex } from './search/searchIndex.js';
import { createTechdocsSearchCollator } from './search/collator.js';
import { CachedSiteStore } from './store/cachedSiteStore.js';
import { DatabaseSiteStore } from './store/databaseSiteStore.js';
import { DirectorySiteStore } from './store/directorySiteStore.js';
import type { SiteStore } from './store/SiteStore.js';
import { techdocsPermissions } from './permissions.js';

/** What the plugin exposes for tests and other plugins on this replica. */
export interface TechdocsService {
  /** Runs one catalog sync pass now (normally scheduled). */
  syncNow(): Promise<{ entities: number; removed: number }>;
  /** Resolves when this replica has no build running or being claimed. */
  idle(): Promise<void>;
  /** Number of builds this replica has run. */
  buildCount(): number;
  /** The last builds this replica ran (entity, start and end in ms, outcome). */
  recentBuilds(): ReadonlyArray<{ entityRef: string; startedAt: number; finishedAt: number; outcome: string }>;
}

/** `backend.service(techdocsServiceRef)` in tests; `deps` for plugins that want to trigger syncs. */
export const techdocsServiceRef = createServiceRef<TechdocsService>('techdocs');

type Deps = {
  catalog: ServiceRef<CatalogService>;
  sources: typeof sourcesServiceRef;
  search: typeof searchCollatorsServiceRef;
  eventLog: typeof coreServices.eventLog;
  workload: typeof coreServices.workload;
};

const SITE_CACHE = { maxBytes: 64 * 1024 * 1024, ttlMs: 30_000, maxAssetBytes: 512 * 1024 };

/**
 * TechDocs: docs-as-code sites for catalog entities with `backstage.io/techdocs-ref`, built
 * natively in TypeScript from mkdocs.yml and Markdown (no Python, no Docker), stored in Postgres
 * or a directory, searchable with Postgres full-text search, served at /api/techdocs.
 */
export const techdocsPlugin = definePlugin<RawTechdocsConfig, Deps, TechdocsService>({
  id: 'techdocs',
  permissions: techdocsPermissions,
  configSchema: techdocsConfigSchema,
  migrations: techdocsMigrations,
  // Readable roots come from the shared sources service (backend.reading), not the catalog's section.
  deps: {
    catalog: catalogServiceRef,
    sources: sourcesServiceRef,
    search: searchCollatorsServiceRef,
    eventLog: coreServices.eventLog,
    workload: coreServices.workload,
  },
  provides: techdocsServiceRef,
  openapi: techdocsOpenApi,
  routes: techdocsRoutes,
  async setup(ctx) {
    const { db, config, configBaseDir, logger, scheduler, events, audit, lifecycle, host, instance, deps } = ctx;
    const settings = resolveTechdocsSettings(config ?? {}, deps.sources, configBaseDir, host.dataDir);
    const persistent: SiteStore = settings.storage.type === 'directory' ? new DirectorySiteStore(settings.storage.directory) : new DatabaseSiteStore(db);
    // Built pages are served from memory; a publish on any replica drops that site's entries everywhere.
    const store = new CachedSiteStore(persistent, SITE_CACHE, (entityRef) => {
      void events.publish(techdocsSitePublished, { entityRef }).catch((e) => logger.warn({ err: e }, 'techdocs: could not announce a published site'));
    });
    const unsubscribePublished = events.subscribe(techdocsSitePublished, (e) => store.invalidate(e.payload.entityRef));
    const entities = new DocsEntities(db);
    const search = new SearchIndex(db);
    const builder = new DocsBuilder({
      entities,
      store,
      search,
      settings,
      logger,
      // Builds are claimed under the replica's one id (leases in docs_entities.claimed_by).
      replicaId: instance.replicaId,
      workload: deps.workload,
      // Other plugins (scorecards' `techdocsBuilt` fact) learn each outcome from this declared topic.
      onFinished: (outcomes) => {
        const announced = outcomes.filter((o): o is BuildOutcome & { outcome: 'built' | 'failed' } => o.outcome !== 'unchanged');
        if (announced.length === 0) return;
        void events
          .publishMany(
            techdocsBuildFinished,
            announced.map((o) => ({ entityRef: o.entityRef, status: o.outcome })),
          )
          .catch((e) => logger.warn({ err: e }, 'techdocs: could not announce build results'));
        // Durable too (change feed, automations): the builds' state is already stored when this runs.
        void deps.eventLog
          .append(
            announced.map((o) => ({
              topic: techdocsBuildFinished.name,
              entityRef: o.entityRef,
              actor: 'plugin:techdocs',
              payload: { entityRef: o.entityRef, status: o.outcome },
              meta: { summary: o.outcome === 'built' ? 'Documentation built and published' : 'Documentation build failed (see the Docs tab for its log)' },
            })),
          )
          .catch((e) => logger.warn({ err: e }, 'techdocs: could not record build results in the event log'));
      },
    });
    const sync = new CatalogSync({
      catalog: deps.catalog,
      entities,
      store,
      search,
      logger,
      refreshIntervalSeconds: settings.refreshIntervalSeconds,
      onQueued: () => builder.wake(),
      workload: deps.workload,
    });
    logger.info({ storage: settings.storage, allowedRoots: settings.allowedRoots }, 'techdocs: settings');

    const unsubscribe = deps.catalog.onEntityChange((change) => sync.onChange(change));
    scheduler.every('techdocs.sync', { intervalSeconds: settings.refreshIntervalSeconds, runOnStart: true }, async () => {
      const r = await sync.syncAll();
      logger.info(r, 'techdocs: catalog sync');
    });
    mountRoutes(ctx, techdocsRoutes, { entities, store, search, audit, permissions: ctx.permissions, catalog: deps.catalog, onQueued: () => builder.wake() });
    builder.start();
    deps.search.register(createTechdocsSearchCollator(db, events, logger));
    lifecycle.onShutdown(async () => {
      unsubscribe();
      sync.stop();
      unsubscribePublished();
      await builder.stop();
    });
    return {
      syncNow: () => sync.syncAll(),
      idle: async () => {
        await sync.idle();
        await builder.idle();
      },
      buildCount: () => builder.builds,
      recentBuilds: () => [...builder.history],
    };
  },
});
