import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGrownTables } from './analyzeGrownTables.js';
import type { Database } from './Database.js';
import { openPglite } from './openPglite.js';

describe.each(testDatabaseKinds())('analyzeGrownTables on %s', (kind) => {
  // The embedded database is opened on its own: a backend's host job would analyze these tables
  // itself between the test's steps. (On a server the host runs no such job.)
  let t: TestBackend | undefined;
  let database: Database;
  beforeAll(async () => {
    if (kind === 'pglite') database = await openPglite(':memory:');
    else database = (t = await startTestBackend({ plugins: [], database: kind })).backend.database;
  }, 60_000);
  afterAll(async () => {
    if (t) await t.stop();
    else await database?.close();
  });

  it('analyzes a table that grew since its statistics were taken, and leaves it alone until it grows again', async () => {
    const db = await database.forSchema('table statistics');
    // A server's autovacuum must not take the statistics first. The schema's name needs quoting.
    await db.raw('create table "Grows" (id int primary key, body text) with (autovacuum_enabled = false)');
    await db.raw('create table stays (id int primary key) with (autovacuum_enabled = false)');
    const relpages = async () =>
      Number(((await db.raw(`select relpages from pg_class where oid = to_regclass('"Grows"')`)) as { rows: Array<{ relpages: number }> }).rows[0]!.relpages);
    const ours = async () => (await analyzeGrownTables(db)).filter((n) => n.startsWith('"table statistics".'));
    // Small tables are not worth it.
    expect(await ours()).toEqual([]);
    await db.raw(`insert into "Grows" select g, repeat('x', 500) from generate_series(1, 2000) g`);
    expect(await relpages()).toBe(0);
    expect(await ours()).toEqual(['"table statistics"."Grows"']);
    expect(await relpages()).toBeGreaterThan(100);
    // Its statistics are current now: nothing to do.
    expect(await ours()).toEqual([]);
    await db.raw(`insert into "Grows" select g, repeat('x', 500) from generate_series(2001, 3000) g`);
    expect(await ours()).toEqual(['"table statistics"."Grows"']);
  });
});
