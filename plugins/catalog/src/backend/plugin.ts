import os from 'node:os';
import { ConfigError, coreServices, definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import { createEntityValidator, InvalidKindDefinitionError } from '@atrium/catalog-model';
import { sourcesServiceRef } from '@atrium/source-readers';
import { catalogEntityRemoved, catalogEntityUpserted, type CatalogService } from '../common/index.js';
import type { CatalogContext } from './catalogContext.js';
import { catalogServiceRef, createCatalogService } from './catalogService.js';
import { catalogConfigSchema, resolveCatalogSettings, type RawCatalogConfig } from './config.js';
import { catalogMigrations } from './migrations/index.js';
import { catalogOpenApi } from './openapi.js';
import { CatalogEvents } from './orchestration/catalogEvents.js';
import { EntityChecks } from './orchestration/entityChecks.js';
import { LocationProcessor } from './orchestration/locationProcessor.js';
import { ensureFullTextIndex } from './store/fullTextIndex.js';
import { ProcessingLoop } from './orchestration/processingLoop.js';
import { EntityProviders } from './providers/entityProviders.js';
import { EMBEDDED_READ_LIMITS, ReadPool } from './ingestion/worker/readPool.js';
import { EntityLookup } from './query/entityLookup.js';
import { CatalogAggregates } from './query/catalogAggregates.js';
import { catalogRoutes } from './routes/index.js';
import { rejectNul } from './routes/rejectNul.js';
import { catalogPermissions } from './permissions.js';
import { EntityWriter } from './store/entityWriter.js';
import { advanceGeneration } from './store/generation.js';
import { LocationsStore } from './store/locationsStore.js';

/**
 * The software catalog: reads locations (config and registered), stores and stitches their
 * entities in Postgres, and serves Backstage's catalog REST API at /api/catalog.
 */
export const catalogPlugin = definePlugin<
  RawCatalogConfig,
  { sources: typeof sourcesServiceRef; eventLog: typeof coreServices.eventLog; workload: typeof coreServices.workload },
  CatalogService
>({
  id: 'catalog',
  permissions: catalogPermissions,
  configSchema: catalogConfigSchema,
  migrations: catalogMigrations,
  // File roots and private-network access come from the shared sources service (backend.reading).
  // The event log records every entity change in its transaction (history, change feed).
  deps: { sources: sourcesServiceRef, eventLog: coreServices.eventLog, workload: coreServices.workload },
  provides: catalogServiceRef,
  openapi: catalogOpenApi,
  routes: catalogRoutes,
  async setup({ router, db, config, configBaseDir, logger, events, scheduler, auth, permissions, audit, lifecycle, host, instance, deps }) {
    const embedded = host.database().mode === 'embedded';
    const settings = resolveCatalogSettings(config, configBaseDir, { dataDir: host.dataDir, embeddedDatabase: embedded, homeDir: os.homedir() }, deps.sources);
    let validator;
    try {
      validator = createEntityValidator({ customKinds: settings.customKinds });
    } catch (e) {
      if (e instanceof InvalidKindDefinitionError) throw new ConfigError('catalog.kinds', e.message);
      throw e;
    }
    // A process that stopped during a bulk stitch left the full-text index dropped (see fullTextIndex.ts).
    if (await ensureFullTextIndex(db)) logger.warn('catalog: built the full-text index, which an interrupted bulk load had dropped');
    // Locations are claimed under the replica's one id (locations.claimed_by).
    const replicaId = instance.replicaId;
    const locations = new LocationsStore(db, settings.locationLeaseSeconds);
    const writer = new EntityWriter(db, deps.eventLog);
    const catalogEvents = new CatalogEvents(events, logger);
    const checks = new EntityChecks(logger);
    const stitchWorkers = embedded ? 1 : 2;
    // Parsing runs on worker threads (catalog.readWorkers; 0 parses on the main thread).
    const readPool = settings.readWorkers > 0 ? new ReadPool(settings.readWorkers, embedded ? EMBEDDED_READ_LIMITS : {}) : undefined;
    const processor = new LocationProcessor({
      db,
      locations,
      writer,
      settings,
      events: catalogEvents,
      logger,
      replicaId,
      stitchWorkers,
      eventLog: deps.eventLog,
      workload: deps.workload,
      checks,
      ...(readPool ? { read: (spec, options) => readPool.read(spec, options) } : {}),
    });
    const aggregates = new CatalogAggregates(db);
    // Other replicas' changes arrive as entity events: cached facets and totals are rechecked then.
    events.subscribe(catalogEntityUpserted, () => aggregates.clock.invalidate());
    events.subscribe(catalogEntityRemoved, () => aggregates.clock.invalidate());
    const ctx: CatalogContext = {
      db,
      settings,
      locations,
      writer,
      lookup: new EntityLookup(db),
      aggregates,
      processor,
      providers: new EntityProviders({ db, writer, validator, processor, events: catalogEvents, logger, workload: deps.workload }),
      events: catalogEvents,
      validator,
      checks,
      logger,
      auth,
      permissions,
      audit,
    };

    // A previous process may have stopped between a commit and advancing the generation.
    await advanceGeneration(db);
    // The embedded database is this process's alone (its directory is locked): a claim found now
    // was left by a process that stopped without releasing it, so its location is read again at once.
    if (embedded) {
      const released = await locations.releaseAllClaims();
      if (released > 0) logger.info({ released }, `catalog: released ${released} location claims left by a previous process`);
    }

    // Config locations: add new ones, drop (with their entities) those no longer configured.
    const stale = await locations.syncStatic(settings.staticLocations);
    for (const id of stale) {
      await processor.removeLocationEntities(id);
      await locations.delete(id);
    }

    // NUL characters are refused (400) before any route validates or looks anything up.
    router.use(rejectNul);
    mountRoutes({ router, auth, permissions }, catalogRoutes, { ...ctx, bus: events, eventLog: deps.eventLog });

    const loop = new ProcessingLoop(processor, settings.processingPollMs, logger);
    loop.start();
    // Safety net, once per tick across replicas: re-queue entities that have no final form
    // (e.g. a replica died between processing and stitching) and refresh planner statistics.
    scheduler.every('catalog.sweep', { intervalSeconds: 600, runOnStart: false }, async () => {
      await db.raw(
        `insert into stitch_queue (entity_ref) select e.entity_ref from entities e
         where not exists (select 1 from final_entities f where f.entity_id = e.id) and e.stitch_error is null on conflict do nothing`,
      );
      await processor.stitch();
      await db.raw('analyze search');
      // Keeps full-text queries from scanning a long pending list after many small changes.
      await db.raw(`select gin_clean_pending_list('final_entities_fts'::regclass)`);
    });
    lifecycle.onShutdown(async () => {
      await loop.stop();
      await readPool?.close();
      await catalogEvents.flush();
    });
    return createCatalogService(ctx, events);
  },
});
