import type { Logger } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import { resolveCatalogSettings } from '../config.js';
import { CatalogEvents } from '../orchestration/catalogEvents.js';
import { LocationProcessor, type ProcessorDeps } from '../orchestration/locationProcessor.js';
import { EntityWriter } from '../store/entityWriter.js';
import { LocationsStore } from '../store/locationsStore.js';
import { startCatalog, type CatalogTestkit } from './catalogTestkit.testing.js';

export interface OwnProcessor {
  kit: CatalogTestkit;
  /** A knex of the catalog's schema. */
  db: Knex;
  locations: LocationsStore;
  /** A processor of the test's own, beside the plugin's (whose loop stays idle after its first tick). */
  processor: LocationProcessor;
  stop(): Promise<void>;
}

/**
 * A catalog with a LocationProcessor of the test's own, logging to `logger`, for tests that drive
 * reads and stitches themselves (processNow, stitch) and look at what they log.
 */
export async function startOwnProcessor(
  database: 'pglite' | 'postgres',
  logger: Logger,
  deps: Partial<Pick<ProcessorDeps, 'deferFullTextIndexFrom'>> & { replicaId: string },
): Promise<OwnProcessor> {
  // The plugin's own processing loop ticks once at start, then (idle) not again during the test.
  const kit = await startCatalog(database, { catalog: { processingPollMs: 600_000 } });
  const db = await kit.backend.backend.database.forSchema('catalog');
  const settings = resolveCatalogSettings(
    {
      locations: [],
      kinds: [],
      orphanStrategy: 'delete',
      refreshIntervalSeconds: 3600,
      processingPollMs: 100,
      readers: { allowPrivateNetworks: false, fileRoots: [kit.dir] },
    },
    () => kit.dir,
    { dataDir: kit.dir, embeddedDatabase: database === 'pglite', homeDir: kit.dir },
  );
  const locations = new LocationsStore(db);
  const processor = new LocationProcessor({
    db,
    locations,
    writer: new EntityWriter(db),
    settings,
    events: new CatalogEvents(kit.backend.backend.events.service(), logger),
    logger,
    ...deps,
  });
  return {
    kit,
    db,
    locations,
    processor,
    async stop() {
      processor.stop();
      if (database === 'postgres') await db.destroy();
      await kit.stop();
    },
  };
}
