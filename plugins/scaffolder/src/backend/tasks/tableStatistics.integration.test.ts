import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGrownTables } from './tableStatistics.js';

describe.each(testDatabaseKinds())('analyzeGrownTables on %s', (database) => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ plugins: [], database });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('analyzes a table that grew since its statistics were taken, and leaves it alone until it grows again', async () => {
    const db = await t.backend.database.forSchema('table_statistics_test');
    // A server's autovacuum must not take the statistics first.
    await db.raw('create table grows (id int primary key, body text) with (autovacuum_enabled = false)');
    await db.raw('create table stays (id int primary key) with (autovacuum_enabled = false)');
    const relpages = async (table: string) =>
      Number(((await db.raw(`select relpages from pg_class where oid = to_regclass(?)`, [table])) as { rows: Array<{ relpages: number }> }).rows[0]!.relpages);
    // Small tables are not worth it.
    expect(await analyzeGrownTables(db, ['grows', 'stays', 'missing'])).toEqual([]);
    await db.raw(`insert into grows select g, repeat('x', 500) from generate_series(1, 2000) g`);
    expect(await relpages('grows')).toBe(0);
    expect(await analyzeGrownTables(db, ['grows', 'stays'])).toEqual(['grows']);
    expect(await relpages('grows')).toBeGreaterThan(100);
    // Its statistics are current now: nothing to do.
    expect(await analyzeGrownTables(db, ['grows', 'stays'])).toEqual([]);
    await db.raw(`insert into grows select g, repeat('x', 500) from generate_series(2001, 3000) g`);
    expect(await analyzeGrownTables(db, ['grows'])).toEqual(['grows']);
  });
});
