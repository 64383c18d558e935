import { coreServices, definePlugin, type WorkloadService } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogService, EntityProviderConnection } from '../common/index.js';
import { catalogServiceRef } from './index.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/**
 * Plugins that react to catalog changes wait while the catalog works in bulk (WorkloadService).
 * A location's first read may be a whole organisation's catalog, so it is bulk work from its
 * start, before it has written anything; a later read of a small location is not. An entity
 * provider's mutation of thousands of entities is bulk work too. What the workload reports is
 * observed from inside the work: from an entity check (run in the middle of each read) and from
 * the change announcements (made per stitched batch).
 */
describe.each(testDatabaseKinds())('bulk work of location reads and provider mutations, on %s', (database) => {
  let kit: CatalogTestkit;
  let catalog: CatalogService;
  /** The bulk work running when each component was checked, by component name (the last read wins). */
  const seen = new Map<string, string[]>();

  let workload: WorkloadService;

  beforeAll(async () => {
    // Core services reach plugins only: this one hands the workload to the test.
    const probe = definePlugin({
      id: 'workload-probe',
      deps: { workload: coreServices.workload },
      setup(ctx) {
        workload = ctx.deps.workload;
      },
    });
    kit = await startCatalog(database, { catalog: { processingPollMs: 120_000 }, plugins: [probe] });
    catalog = kit.backend.backend.service(catalogServiceRef);
    await catalog.registerEntityCheck({
      id: 'test.workload',
      kinds: ['Component'],
      check: (entity: Entity) => {
        seen.set(entity.metadata.name, workload.running());
        return [];
      },
    });
  });
  afterAll(async () => kit?.stop());

  it('marks a first read as bulk work from its start, and a re-read of a small location not at all', async () => {
    const file = kit.write('first.yaml', yamlDocs(component('first-a'), component('first-b')));
    const created = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } });
    expect(created.status).toBe(201);
    expect(seen.get('first-a')).toEqual([`catalog: reading file:${file}`]);
    // Ended once its entities were served.
    expect(workload.running()).toEqual([]);

    // Changed content, so the re-read reads (and checks) the file again: 2 entities stored before, so not bulk work.
    kit.write('first.yaml', yamlDocs(component('first-a', { lifecycle: 'experimental' }), component('first-b')));
    seen.clear();
    expect((await kit.json('/refresh', { method: 'POST', body: { entityRef: 'component:default/first-a' } })).status).toBe(200);
    expect(seen.get('first-a')).toEqual([]);
  });

  it("marks an entity provider's mutation of 2,000 entities as bulk work until they are served, and a small one not at all", async () => {
    let connection: EntityProviderConnection | undefined;
    await catalog.registerEntityProvider({
      name: 'bulk-directory',
      connect: async (c) => {
        connection = c;
      },
    });
    if (!connection) throw new Error('the provider was not connected');
    const directory = connection;
    // Changes are announced per stitched batch, while the mutation still runs.
    const during = new Set<string>();
    const off = catalog.onEntityChange(() => {
      for (const label of workload.running()) during.add(label);
      if (workload.running().length === 0) during.add('(none)');
    });
    try {
      const many = Array.from({ length: 2000 }, (_, i) => ({ entity: component(`provided-${i}`) as Entity, locationKey: `k${i}` }));
      const applied = await directory.applyMutation({ type: 'full', entities: many });
      expect(applied.written).toBe(2000);
      expect([...during]).toEqual(['catalog: entity provider bulk-directory']);
      expect(workload.running()).toEqual([]);

      during.clear();
      await directory.applyMutation({ type: 'delta', added: [{ entity: component('provided-extra') as Entity, locationKey: 'extra' }], removed: [] });
      expect([...during]).toEqual(['(none)']);
    } finally {
      off();
    }
  });
});
