import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from '../testing/catalogTestkit.testing.js';
import { markForStitch } from './entityWriter.js';
import { withStitchScope } from './stitchScope.js';

const REF = 'component:default/queued-one';

describe.each(testDatabaseKinds())('marking entities for stitching on %s', (database) => {
  let kit: CatalogTestkit;
  let db: Knex;
  beforeAll(async () => {
    // The processing loop polls once an hour here: nothing but the test touches the queue after the first read.
    kit = await startCatalog(database, { catalog: { processingPollMs: 3_600_000 } });
    db = await kit.backend.backend.database.forSchema('catalog');
    const file = kit.write('queued.yaml', yamlDocs(component('queued-one'), component('other-one', { dependsOn: ['component:queued-one'] })));
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } })).status).toBe(201);
  });
  afterAll(async () => {
    if (database === 'postgres') await db?.destroy();
    await kit?.stop();
  });

  const queueRow = async (conn: Knex) =>
    (await conn.raw(`select entity_ref, queued_at, xmin::text as version from stitch_queue where entity_ref = ?`, [REF])).rows as Array<{
      entity_ref: string;
      queued_at: Date;
      version: string;
    }>;

  it('queues an entity and the sources of relations pointing at an appeared ref, each once', async () => {
    await db.raw(`delete from stitch_queue`);
    await db.transaction((trx) => markForStitch(trx, [REF, REF], [REF], undefined));
    const queued = (await db.raw(`select entity_ref from stitch_queue order by entity_ref`)).rows.map((r: { entity_ref: string }) => r.entity_ref);
    expect(queued).toEqual(['component:default/other-one', REF]);
    await db.raw(`delete from stitch_queue`);
  });

  it('leaves a queued row that no stitcher holds as it is, and still tells a collecting scope about it', async () => {
    await db.raw(`delete from stitch_queue`);
    await db.raw(`insert into stitch_queue (entity_ref) values (?)`, [REF]);
    const [before] = await queueRow(db);
    const targets = await withStitchScope(async (scope) => {
      await db.transaction((trx) => markForStitch(trx, [REF], [], scope));
      return scope.targets();
    });
    expect(targets).toEqual([REF]);
    const after = await queueRow(db);
    expect(after).toHaveLength(1);
    // The same row version: not rewritten.
    expect(after[0]?.version).toBe(before?.version);
    expect(after[0]?.queued_at.getTime()).toBe(before?.queued_at.getTime());
    await db.raw(`delete from stitch_queue`);
  });

  it.runIf(database === 'postgres')('waits for a stitcher holding the row and queues the entity again once that stitch deleted it', async () => {
    await db.raw(`delete from stitch_queue`);
    await db.raw(`insert into stitch_queue (entity_ref) values (?)`, [REF]);
    const stitcher = await db.transaction();
    const marker = await db.transaction();
    try {
      // A stitch batch claims the row, as stitchPending does.
      await stitcher.raw(`select entity_ref from stitch_queue where entity_ref = ? for update skip locked`, [REF]);
      let marked = false;
      const marking = markForStitch(marker, [REF], [], undefined).then(() => (marked = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(marked).toBe(false);
      // The stitch finishes: its row is deleted and committed.
      await stitcher.raw(`delete from stitch_queue where entity_ref = ?`, [REF]);
      await stitcher.commit();
      await marking;
      expect(await queueRow(marker)).toHaveLength(1);
      await marker.commit();
    } finally {
      if (!stitcher.isCompleted()) await stitcher.rollback();
      if (!marker.isCompleted()) await marker.rollback();
    }
    expect(await queueRow(db)).toHaveLength(1);
    await db.raw(`delete from stitch_queue`);
  });
});
