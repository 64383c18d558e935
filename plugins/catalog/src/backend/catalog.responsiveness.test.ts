import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, group, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

const ENTITIES = 3000;

/**
 * The embedded database runs every statement on the main thread. A bulk load must still let
 * the HTTP server answer between its statements: here /healthz is asked again and again, one
 * request after the other, while one big file is registered, and many answers must arrive
 * before the registration does (without the fix, none did: the load held the event loop from
 * its first statement to its last).
 */
describe.each(testDatabaseKinds())('HTTP during a bulk load on %s', (database) => {
  let kit: CatalogTestkit;
  beforeAll(async () => {
    kit = await startCatalog(database);
  });
  afterAll(async () => kit?.stop());

  it('keeps answering /healthz while a big file is stored and stitched', async () => {
    const docs = [
      group('team-a'),
      ...Array.from({ length: ENTITIES }, (_, i) => component(`bulk-${i}`, { owner: 'team-a', dependsOn: [`component:bulk-${(i + 1) % ENTITIES}`] })),
    ];
    const file = kit.write('bulk.yaml', yamlDocs(...docs));

    // Two loops run while the file is registered, each sending its next request as soon as the
    // last one is answered: /healthz, and a count of the catalog's components (which needs the
    // database). Stitching makes entities visible a batch at a time, so counts strictly between
    // 0 and ENTITIES mean the load was still going on.
    let loading = true;
    let latestCount = 0;
    const intermediateCounts = new Set<number>();
    let healthzDuringStitch = 0;
    const probe = (async () => {
      while (loading) {
        const res = await kit.backend.fetch('/healthz');
        await res.arrayBuffer();
        if (loading && res.status === 200 && latestCount > 0 && latestCount < ENTITIES) healthzDuringStitch++;
      }
    })();
    const reader = (async () => {
      while (loading) {
        const res = await kit.json('/entities/by-query?filter=kind=component&limit=1');
        if (!loading || res.status !== 200) continue;
        latestCount = res.body.totalItems;
        if (latestCount > 0 && latestCount < ENTITIES) intermediateCounts.add(latestCount);
      }
    })();

    const res = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } });
    loading = false;
    await Promise.all([probe, reader]);
    expect(res.status).toBe(201);
    expect((await kit.json('/entities/by-query?filter=kind=component&limit=0')).body.totalItems).toBe(ENTITIES);
    // Reads saw the catalog grow batch by batch, and /healthz kept answering meanwhile.
    expect(intermediateCounts.size).toBeGreaterThanOrEqual(2);
    expect(healthzDuringStitch).toBeGreaterThanOrEqual(2);
  });
});
