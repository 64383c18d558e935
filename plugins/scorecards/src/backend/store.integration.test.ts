import { definePlugin, type Logger } from '@atrium/backend-plugin-api';
import { techdocsBuildFinished } from '@atrium/plugin-techdocs/common';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followTechdocsBuilds } from './facts/techdocs.js';
import type { FactProvider } from './facts/types.js';
import { scorecardsMigrations } from './migrations.js';
import { ScorecardStore, type ResultRow } from './store.js';

// The store against a real database: the scorecards schema, migrated by a real host, with nothing
// else running in it (a stand-in plugin with the scorecards id and migrations hands out its knex).
describe.each(testDatabaseKinds())('scorecards store on %s', (database) => {
  let backend: TestBackend;
  let db: Knex;
  let store: ScorecardStore;
  let logger: Logger;

  beforeAll(async () => {
    let captured: Knex | undefined;
    const schemaOnly = definePlugin({
      id: 'scorecards',
      migrations: scorecardsMigrations,
      async setup({ db: knex, logger: pluginLogger }) {
        captured = knex;
        logger = pluginLogger;
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
    await store.writeBatch({ results: rows, previous: new Map() }, new Date('2026-11-01T00:00:00Z'));
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

  it('reads a batch in one statement: stored facts, result hashes and levels, and only granted unexpired exemptions', async () => {
    const now = new Date('2026-11-02T00:00:00Z');
    const ref = 'component:default/c1';
    await db('results').insert({
      entity_ref: ref,
      scorecard_id: 'prod',
      owner: null,
      level: 'silver',
      level_rank: 2,
      points: 1,
      max_points: 1,
      rules: '[]',
      hash: 'status:detail',
      evaluated_at: now,
      changed_at: now,
    });
    const exemption = { entityRef: ref, scorecardId: 'prod', reason: 'r', requestedBy: null, approvedBy: 'user:default/a' };
    await store.addExemption({ ...exemption, ruleId: 'granted', status: 'granted', expiresAt: '2026-12-01T00:00:00Z' }, now);
    await store.addExemption({ ...exemption, ruleId: 'expired', status: 'granted', expiresAt: '2026-11-01T00:00:00Z' }, now);
    await store.addExemption({ ...exemption, ruleId: 'requested', status: 'requested', approvedBy: null, expiresAt: '2026-12-01T00:00:00Z' }, now);
    const changedAt = new Date('2026-10-01T00:00:00Z');
    await store.writeBatch(
      {
        results: [],
        previous: new Map(),
        facts: [
          {
            entityRef: ref,
            facts: { f: { value: 1, status: 'known', provider: 'p', updatedAt: now.toISOString() } },
            entityHash: 'e',
            entityChangedAt: changedAt,
            inputHash: 'i',
          },
        ],
      },
      now,
    );
    const state = await store.loadBatch([ref, 'component:default/unknown'], now);
    expect(state.facts.get(ref)).toEqual({ facts: { f: expect.objectContaining({ value: 1 }) }, entityHash: 'e', entityChangedAt: changedAt, inputHash: 'i' });
    expect(state.facts.has('component:default/unknown')).toBe(false);
    expect(state.previous.get(`${ref}\nprod`)).toEqual({ hash: 'status:detail', level: 'silver', levelRank: 2 });
    expect([...(state.exemptions.get(ref) ?? [])]).toEqual(['prod/granted']);
  });

  it('records a result change once when two evaluations race on it', async () => {
    const ref = 'component:default/c3';
    const historyOf = () => db('history').where('entity_ref', ref).count({ n: '*' });
    const before = Number((await historyOf())[0]!.n);
    const row: ResultRow = { entityRef: ref, scorecardId: 'prod', owner: null, level: 'gold', levelRank: 3, points: 9, maxPoints: 9, rules: [], hash: 'new:x' };
    // Both read the same previous result before either wrote.
    const previous = (await store.loadBatch([ref], new Date())).previous;
    const [a, b] = await Promise.all([store.writeBatch({ results: [row], previous }, new Date()), store.writeBatch({ results: [row], previous }, new Date())]);
    expect(a.length + b.length).toBe(1);
    expect(Number((await historyOf())[0]!.n)).toBe(before + 1);
  });

  it('records a burst of TechDocs build outcomes with one write, the last outcome per entity', async () => {
    const inserts: string[] = [];
    const onQuery = (q: { sql: string }) => {
      if (/insert into "techdocs_builds"/.test(q.sql)) inserts.push(q.sql);
    };
    db.on('query', onQuery);
    const providers: FactProvider[] = [];
    const heard: string[] = [];
    const stop = await followTechdocsBuilds({
      events: backend.backend.events.service(),
      store,
      logger,
      register: (p) => providers.push(p),
      onBuild: (ref) => heard.push(ref),
    });
    const payloads = Array.from({ length: 40 }, (_, i) => ({ entityRef: `Component:default/docs-${i % 20}`, status: i < 20 ? 'failed' : 'built' }) as const);
    // After them, the last 20 outcomes again (a periodic re-check): they change no fact, so of
    // those only the new entity's is heard.
    await backend.backend.events
      .service()
      .publishMany(techdocsBuildFinished, [...payloads, ...payloads.slice(20), { entityRef: 'component:default/docs-new', status: 'failed' }]);
    await stop();
    db.off('query', onQuery);
    expect(heard).toHaveLength(41);
    expect(heard.at(-1)).toBe('component:default/docs-new');
    expect(inserts).toHaveLength(1);
    const rows = await db('techdocs_builds').where('entity_ref', 'like', 'component:default/docs-%').select('entity_ref', 'ok');
    expect(rows).toHaveLength(21);
    expect(rows.filter((r) => r.entity_ref !== 'component:default/docs-new').every((r) => r.ok === true)).toBe(true);
    expect(providers.map((p) => p.id)).toEqual(['techdocs']);
  });
});
