import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocationProcessor } from './orchestration/locationProcessor.js';
import { dropFullTextIndex, ensureFullTextIndex } from './store/fullTextIndex.js';
import type { LocationsStore } from './store/locationsStore.js';
import { component, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';
import { startOwnProcessor, type OwnProcessor } from './testing/ownProcessor.testing.js';

/** A stitch that serves more entities than are served already drops the full-text index and builds it again after. */
describe.each(testDatabaseKinds())('the full-text index around a bulk stitch on %s', (database) => {
  let own: OwnProcessor;
  let kit: CatalogTestkit;
  let db: Knex;
  let processor: LocationProcessor;
  let locations: LocationsStore;
  const messages: string[] = [];
  const definition = async () =>
    (
      (await db.raw(`select indexdef from pg_indexes where schemaname = current_schema() and indexname = 'final_entities_fts'`)).rows as Array<{
        indexdef: string;
      }>
    )[0]?.indexdef;
  const zebras = (names: string[]) =>
    yamlDocs(...names.map((name) => ({ ...(component(name) as object), metadata: { name, description: `Striped ${name} zebra` } })));
  // Registered in the store, not through the API (which would read and stitch it with the plugin's own processor).
  const process = async (file: string) => {
    const row = await locations.insertRegistered({ type: 'file', target: file, presence: 'required' });
    if (!row) throw new Error(`${file} is registered already`);
    messages.length = 0;
    expect(await processor.processNow(row.id)).toBe(true);
  };
  const fullText = async (term: string) => (await kit.json(`/entities/by-query?fullTextFilterTerm=${term}&limit=50`)).body;

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void messages.push((JSON.parse(line) as { msg: string }).msg) });
    own = await startOwnProcessor(database, logger, { replicaId: 'full-text-index-test', deferFullTextIndexFrom: 6 });
    ({ kit, db, locations, processor } = own);
  });
  afterAll(async () => own?.stop());

  it('drops the index while a first load is stitched and builds it again as the migrations made it', async () => {
    const migrated = await definition();
    expect(migrated).toMatch(/USING gin \(fts\) WITH \(gin_pending_list_limit='131072'\)/);
    // 7 components and the location's own Location entity: more than the 6 of the threshold, and than the 0 served.
    await process(kit.write('first.yaml', zebras(['z1', 'z2', 'z3', 'z4', 'z5', 'z6', 'z7'])));
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^catalog: full-text index dropped while 8 queued/), 'catalog: full-text index built again']),
    );
    expect(await definition()).toBe(migrated);
    const found = await fullText('zebra');
    expect(found.totalItems).toBe(7);
    expect(found.items.map((e: { metadata: { name: string } }) => e.metadata.name).sort()).toEqual(['z1', 'z2', 'z3', 'z4', 'z5', 'z6', 'z7']);
  });

  it('leaves the index alone for a stitch smaller than the threshold or than what is served', async () => {
    // 5 components + 1 Location: under the threshold.
    await process(kit.write('small.yaml', zebras(['s1', 's2', 's3', 's4', 's5'])));
    // 6 components + 1 Location: over the threshold, but fewer than the 14 served.
    await process(kit.write('second.yaml', zebras(['t1', 't2', 't3', 't4', 't5', 't6'])));
    expect(messages.filter((m) => m.includes('full-text index'))).toEqual([]);
    expect((await fullText('zebra')).totalItems).toBe(18);
  });

  it('builds a missing index (as at start after an interrupted load) and answers full text without it meanwhile', async () => {
    const migrated = await definition();
    expect(await dropFullTextIndex(db)).toBe(true);
    expect(await definition()).toBeUndefined();
    expect(await dropFullTextIndex(db)).toBe(false);
    expect((await fullText('striped')).totalItems).toBe(18);
    expect(await ensureFullTextIndex(db)).toBe(true);
    expect(await ensureFullTextIndex(db)).toBe(false);
    expect(await definition()).toBe(migrated);
    expect((await fullText('striped')).totalItems).toBe(18);
  });

  it('builds the index after a bulk stitch that found it missing', async () => {
    const migrated = await definition();
    expect(await dropFullTextIndex(db)).toBe(true);
    // 22 components + 1 Location: more than the 21 served.
    await process(kit.write('third.yaml', zebras(Array.from({ length: 22 }, (_, i) => `u${i}`))));
    expect(messages.filter((m) => m.includes('full-text index'))).toEqual(['catalog: full-text index built again']);
    expect(await definition()).toBe(migrated);
    expect((await fullText('zebra')).totalItems).toBe(40);
  });

  it.runIf(database === 'postgres')('does not wait long to drop the index while a query holds the table', async () => {
    const holder = await kit.backend.backend.database.forSchema('catalog');
    const trx = await holder.transaction();
    try {
      await trx.raw(`lock table final_entities in access share mode`);
      expect(await dropFullTextIndex(db)).toBe(false);
    } finally {
      await trx.rollback();
      await holder.destroy();
    }
    expect(await definition()).toBeDefined();
  });
});
