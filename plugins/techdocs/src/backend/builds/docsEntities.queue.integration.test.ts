import { definePlugin } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { techdocsMigrations } from '../migrations/index.js';
import { docsEntityInfo } from '../testing/docsEntityInfo.testing.js';
import { claimBindings, CLAIM_SQL, DocsEntities } from './docsEntities.js';

// The build queue as claimers see it: its order across forced requests, expired leases and plain
// requests, what it leaves alone, and (on Postgres) that concurrent claimers never share a build.
describe.each(testDatabaseKinds())('TechDocs build queue (%s)', (database) => {
  let backend: TestBackend;
  let db: Knex;
  let entities: DocsEntities;

  beforeAll(async () => {
    let captured: Knex | undefined;
    const schemaOnly = definePlugin({
      id: 'techdocs',
      migrations: techdocsMigrations,
      async setup({ db: knex }) {
        captured = knex;
      },
    });
    backend = await startTestBackend({ database, plugins: [schemaOnly] });
    db = captured!;
    entities = new DocsEntities(db);
  });
  afterAll(async () => {
    await backend?.stop();
  });
  beforeEach(async () => {
    await db('docs_entities').delete();
  });

  const info = (name: string) => docsEntityInfo(name);
  const ref = (name: string) => `component:default/${name}`;
  /** Sets a row's queue state; `requested` and `expires` are seconds from now (negative: in the past). */
  async function state(name: string, s: { requested?: number | null; force?: boolean; claimedBy?: string | null; expires?: number | null }) {
    const at = (secs: number | null | undefined) => (secs === null || secs === undefined ? null : db.raw(`now() + make_interval(secs => ?)`, [secs]));
    await db('docs_entities')
      .where({ entity_ref: ref(name) })
      .update({ build_requested_at: at(s.requested), force_build: s.force ?? false, claimed_by: s.claimedBy ?? null, claim_expires_at: at(s.expires) });
  }

  async function seedQueue() {
    const names = ['old', 'new', 'forced-new', 'forced-old', 'expired', 'expired-forced', 'building', 'later', 'built'];
    await entities.upsertMany(names.map(info));
    await state('old', { requested: -300 });
    await state('new', { requested: -10 });
    await state('forced-new', { requested: -20, force: true });
    await state('forced-old', { requested: -200, force: true });
    // A builder that died: its lease ran out, with no request since (and one with a forced request).
    await state('expired', { claimedBy: 'replica-gone', expires: -5 });
    await state('expired-forced', { claimedBy: 'replica-gone', expires: -5, requested: -1, force: true });
    // A build under way, requested again meanwhile: it waits for that build to finish.
    await state('building', { claimedBy: 'replica-b', expires: 600, requested: -400 });
    // Requested for later (a retry's back-off) and one with nothing requested.
    await state('later', { requested: 600 });
    await state('built', { requested: null });
  }
  const queueOrder = ['forced-old', 'forced-new', 'expired-forced', 'expired', 'old', 'new'].map(ref);

  it('hands out builds one at a time in queue order: forced, expired leases, then the oldest request', async () => {
    await seedQueue();
    const order: string[] = [];
    for (;;) {
      const [row] = await entities.claimMany('replica-a', 60, 1);
      if (!row) break;
      order.push(row.entity_ref);
    }
    expect(order).toEqual(queueOrder);
  });

  it('claims a batch in the same order, with the force of each request, and leaves the rest queued', async () => {
    await seedQueue();
    const first = await entities.claimMany('replica-a', 60, 4);
    expect(first.map((r) => r.entity_ref)).toEqual(queueOrder.slice(0, 4));
    expect(first.map((r) => r.requested_force)).toEqual([true, true, true, false]);
    const rest = await entities.claimMany('replica-a', 60, 16);
    expect(rest.map((r) => r.entity_ref)).toEqual(queueOrder.slice(4));
    const rows = await db('docs_entities').whereIn('entity_ref', queueOrder).select('claimed_by', 'build_requested_at', 'force_build');
    expect(rows.every((r) => r.claimed_by === 'replica-a' && r.build_requested_at === null && r.force_build === false)).toBe(true);
    // Untouched: the live claim (and its new request), the later request, the row with none.
    const others = await db('docs_entities').whereNotIn('entity_ref', queueOrder).orderBy('entity_ref').select('entity_ref', 'claimed_by');
    expect(others).toEqual([
      { entity_ref: ref('building'), claimed_by: 'replica-b' },
      { entity_ref: ref('built'), claimed_by: null },
      { entity_ref: ref('later'), claimed_by: null },
    ]);
    expect(await entities.claimMany('replica-a', 60, 16)).toEqual([]);
  });

  it('reads the requests in index order instead of sorting every requested row', async () => {
    await entities.upsertMany(Array.from({ length: 2000 }, (_, i) => info(`bulk-${String(i).padStart(4, '0')}`)));
    await db.raw('analyze docs_entities');
    // The claim statement itself, planned (explain does not run it).
    const plan = (await db.raw(`explain ${CLAIM_SQL}`, claimBindings('replica-a', 60, 16))) as { rows: Array<{ 'QUERY PLAN': string }> };
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('docs_entities_queue');
    expect(text).toContain('docs_entities_leases');
    // The requests are read in index order: nothing is sorted between the CTE and its index scan.
    const requested = text.slice(text.indexOf('CTE requested'), text.indexOf('docs_entities_queue'));
    expect(requested).toContain('LockRows');
    expect(requested).not.toContain('Sort');
  });

  it("tells which of a catch-up's refs have docs, beyond the 65,535 parameters a statement can take", async () => {
    await entities.upsertMany([info('documented-1'), info('documented-2')]);
    const asked = [...Array.from({ length: 70_000 }, (_, i) => ref(`undocumented-${i}`)), ref('documented-2'), ref('documented-1')];
    expect([...(await entities.existing(asked))].sort()).toEqual([ref('documented-1'), ref('documented-2')]);
    expect(await entities.existing([])).toEqual(new Set());
  });

  it.runIf(database === 'postgres')('gives each queued build to exactly one of several concurrent claimers', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `contested-${i}`);
    await entities.upsertMany(names.map(info));
    const claimedBy = new Map<string, string>();
    const claimer = async (replica: string) => {
      for (;;) {
        const rows = await entities.claimMany(replica, 60, 3);
        if (rows.length === 0) return;
        for (const r of rows) {
          expect(claimedBy.get(r.entity_ref), `${r.entity_ref} claimed twice`).toBeUndefined();
          claimedBy.set(r.entity_ref, replica);
        }
      }
    };
    await Promise.all(['r1', 'r2', 'r3', 'r4'].map(claimer));
    expect([...claimedBy.keys()].sort()).toEqual(names.map(ref).sort());
    const rows = await db('docs_entities').select('entity_ref', 'claimed_by');
    expect(rows.every((r) => r.claimed_by === claimedBy.get(r.entity_ref))).toBe(true);
  });
});
