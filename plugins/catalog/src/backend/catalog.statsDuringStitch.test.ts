import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/**
 * A first ingest is a long bulk stitch. Without statistics on the search table (autovacuum off,
 * or PGlite, which has none) the planner takes it for empty until the stitch ends, and a facet
 * asked meanwhile ran a nested loop for seconds (issue 20, measured with bench/catalog.mjs
 * --full). The stitch refreshes them as it goes: at 2,000 entities stitched, then at each
 * doubling, besides the vacuum (analyze) after the stitch.
 */
describe.each(testDatabaseKinds())('planner statistics during a bulk stitch, on %s', (database) => {
  let kit: CatalogTestkit;

  beforeAll(async () => {
    kit = await startCatalog(database);
  });
  afterAll(async () => kit?.stop());

  const analyzeCount = async () => {
    const db = await kit.backend.backend.database.forSchema('catalog');
    try {
      const rows = (await db.raw(`select analyze_count::int as n from pg_stat_user_tables where relname = 'search' and schemaname = current_schema()`))
        .rows as Array<{ n: number }>;
      return rows[0]?.n ?? 0;
    } finally {
      if (database === 'postgres') await db.destroy();
    }
  };

  it('analyzes the search table while it stitches 4,500 new entities, not only after', { timeout: 120_000 }, async () => {
    const before = await analyzeCount();
    const names = Array.from({ length: 4500 }, (_, i) => `bulk-${String(i).padStart(4, '0')}`);
    const file = kit.write('bulk.yaml', yamlDocs(...names.map((n) => component(n))));
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } })).status).toBe(201);
    const served = await kit.json<{ totalItems: number }>('/entities/by-query?filter=kind=component&limit=0');
    expect(served.body.totalItems).toBe(4500);
    // Once 2,000 entities are stitched, then the vacuum (analyze) after the stitch (without the
    // refresh during the stitch, only the latter). The statistics views may report the sessions'
    // counts a moment later.
    await expect.poll(analyzeCount, { timeout: 20_000, interval: 200 }).toBeGreaterThanOrEqual(before + 2);
  });
});
