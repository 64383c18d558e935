import { definePlugin } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecardsMigrations } from './migrations.js';
import { ScorecardStore, type ResultRow } from './store.js';

// The store against a real database: the scorecards schema, migrated by a real host, with nothing
// else running in it (a stand-in plugin with the scorecards id and migrations hands out its knex).
describe.each(testDatabaseKinds())('scorecards store on %s', (database) => {
  let backend: TestBackend;
  let db: Knex;
  let store: ScorecardStore;

  beforeAll(async () => {
    let captured: Knex | undefined;
    const schemaOnly = definePlugin({
      id: 'scorecards',
      migrations: scorecardsMigrations,
      async setup({ db: knex }) {
        captured = knex;
      },
    });
    backend = await startTestBackend({ database, plugins: [schemaOnly] });
    db = captured!;
    store = new ScorecardStore(db, database === 'postgres' ? 'postgres' : 'embedded');
    const rows: ResultRow[] = Array.from({ length: 30 }, (_, i) => ({
      entityRef: `component:default/c${i}`,
      scorecardId: i % 2 ? 'prod' : 'docs',
      owner: `group:default/team-${i % 5}`,
      level: ['bronze', 'silver', null][i % 3]!,
      levelRank: i % 3 === 2 ? 0 : (i % 3) + 1,
      points: i,
      maxPoints: 30,
      rules: [{ ruleId: 'r', status: 'pass' }],
      hash: `h${i}`,
    }));
    await store.writeResults(rows, new Map(), new Date('2026-11-01T00:00:00Z'));
  });
  afterAll(async () => {
    await backend?.stop();
  });

  // On a fresh Postgres database the first sweeps of a start ran together and failed with
  // `duplicate key value violates unique constraint "daily_levels_pkey"`.
  it('takes daily snapshots from several sweeps at once without a duplicate key', async () => {
    const day = '2026-11-01';
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.snapshotDaily(day)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const rows = await store.dailyLevels('prod', day);
    expect(rows.reduce((n, r) => n + r.entities, 0)).toBe(15);
    expect(new Set(rows.map((r) => `${r.owner}/${r.level}`)).size).toBe(rows.length);
  });

  it('a later snapshot of the same day replaces the earlier one', async () => {
    const day = '2026-11-01';
    await db('results').where('entity_ref', 'component:default/c1').delete();
    await Promise.all([store.snapshotDaily(day), store.snapshotDaily(day)]);
    expect((await store.dailyLevels('prod', day)).reduce((n, r) => n + r.entities, 0)).toBe(14);
  });
});
