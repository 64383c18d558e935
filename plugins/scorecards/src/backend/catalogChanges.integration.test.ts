import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, definePlugin, type EventLogService, type Logger } from '@atrium/backend-plugin-api';
import { catalogPlugin, catalogServiceRef, type CatalogService } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorecardsConfig } from './config.js';
import { catalogFactProvider } from './facts/builtins.js';
import { scorecardsMigrations } from './migrations.js';
import { Notifier } from './notifier.js';
import { ScorecardsRuntime } from './runtime.js';
import { ScorecardStore } from './store.js';

// How the plugin follows catalog changes, against a real catalog and database: changes are
// coalesced per entity, evaluated in batches of 500 with one read and one write of the scorecards
// tables per batch, and an evaluation that changes nothing writes nothing. A stand-in plugin with
// the scorecards id and migrations hands out the schema's knex, so the test sees every statement.

const N = 600;
const component = (i: number) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  // Every other one described; every third one owned by a group that does not exist.
  metadata: { name: `c-${i}`, ...(i % 2 === 0 ? { description: `Component ${i}` } : {}) },
  spec: { type: 'service', lifecycle: 'production', owner: i % 3 === 2 ? 'ghost' : 'team-a' },
});
const catalogFile = (components: object[]) =>
  [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a' }, spec: { type: 'team', children: [] } }, ...components]
    .map((d) => JSON.stringify(d))
    .join('\n---\n');
const ref = (i: number) => `component:default/c-${i}`;

const config: ScorecardsConfig = {
  evaluationIntervalSeconds: 1800,
  eventBatchMs: 0,
  initiatives: [],
  git: { enabled: false, allowPrivateNetworks: false },
  notifications: { webhookTimeoutMs: 1000, deadlineReminderDays: [] },
  definitions: [
    {
      id: 'prod',
      title: 'Production',
      filter: { kind: 'Component' },
      levels: [{ id: 'bronze' }, { id: 'silver' }],
      rules: [
        { id: 'owner', level: 'bronze', condition: 'facts.ownerResolves' },
        { id: 'described', level: 'silver', condition: 'facts.hasDescription' },
      ],
    },
  ],
};

/** Statements on the scorecards tables (not the transaction's own, nor the event log's). */
const SCORECARD_TABLES = /\b(facts|results|history|exemptions)\b/;

describe.each(testDatabaseKinds())('scorecards following catalog changes on %s', (database) => {
  let dir: string;
  let backend: TestBackend;
  let db: Knex;
  let catalog: CatalogService;
  let eventLog: EventLogService;
  let runtime: ScorecardsRuntime;
  let store: ScorecardStore;
  let logger: Logger;
  let statements: string[] = [];
  const rowCount = async (table: string, where: Record<string, string> = {}) => Number((await db(table).where(where).count({ n: '*' }))[0]!.n);
  const levelChanges = async () =>
    (await eventLog.read({ after: '0', topics: ['scorecards.level.changed'], limit: 1000 })).events.map(
      (e) => e.payload as { entityRef: string; from: string | null; to: string | null },
    );
  /** Queues refs and waits until they are evaluated; returns the statements on scorecards tables meanwhile. */
  const evaluate = async (queue: () => void) => {
    statements = [];
    queue();
    await runtime.idle();
    return statements.filter((s) => SCORECARD_TABLES.test(s));
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scorecards-changes-'));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), catalogFile(Array.from({ length: N }, (_, i) => component(i))));
    let captured: { db: Knex; catalog: CatalogService; eventLog: EventLogService; logger: Logger; mode: 'embedded' | 'postgres' } | undefined;
    const standIn = definePlugin({
      id: 'scorecards',
      migrations: scorecardsMigrations,
      deps: { catalog: catalogServiceRef, eventLog: coreServices.eventLog },
      async setup(ctx) {
        captured = { db: ctx.db, catalog: ctx.deps.catalog, eventLog: ctx.deps.eventLog, logger: ctx.logger, mode: ctx.host.database().mode };
      },
    });
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, standIn],
      configDir: dir,
      config: { catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, locations: [{ type: 'file', target: 'catalog.yaml' }] } },
    });
    ({ db, catalog, eventLog } = captured!);
    db.on('query', (q: { sql: string }) => statements.push(q.sql));
    store = new ScorecardStore(db, captured!.mode, eventLog);
    logger = captured!.logger;
    runtime = new ScorecardsRuntime({
      config,
      catalog,
      store,
      notifier: new Notifier(undefined, config.notifications, captured!.logger),
      logger: captured!.logger,
    });
    runtime.registerFactProvider(catalogFactProvider);
    // The first ingest is done once every component is served, team-a lists what it owns, and no
    // entity changes between two reads (later stitches would otherwise make evaluations differ).
    let last = '';
    await waitFor(
      async () => {
        const { items } = await catalog.getEntities({ fields: ['metadata.name', 'metadata.etag', 'relations'] });
        const snapshot = JSON.stringify(items.map((e) => [e.metadata.name, e.metadata.etag]).sort());
        const owned = items.find((e) => e.metadata.name === 'team-a')?.relations?.filter((r) => r.type === 'ownerOf').length;
        const stable = items.length === N + 2 && owned === 400 && snapshot === last;
        last = snapshot;
        return stable;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  }, 90_000);
  afterAll(async () => {
    await runtime?.stop();
    await backend?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates each queued entity once, 500 per batch, with one read and one write per batch', async () => {
    expect(runtime.catalogChanges()).toMatchObject({ idle: true, heard: 0, batches: 0, caughtUpAt: null });
    const sql = await evaluate(() => {
      // Every entity twice (as a second stitch would), in another case the second time.
      for (let i = 0; i < N; i++) runtime.enqueue(ref(i));
      for (let i = 0; i < N; i++) runtime.enqueue(ref(i).toUpperCase());
    });
    expect(runtime.catalogChanges()).toMatchObject({ idle: true, queued: 0, heard: 2 * N, batches: 2, entities: N, caughtUpAt: expect.any(String) });
    // Per batch: loadBatch (facts, results, exemptions) and writeBatch (results, history, facts).
    expect(sql).toHaveLength(4);
    expect(sql.filter((s) => /^\s*select/i.test(s))).toHaveLength(2);
    expect(sql.filter((s) => /^\s*with/i.test(s))).toHaveLength(2);
    expect(await rowCount('results')).toBe(N);
    expect(await rowCount('facts')).toBe(N);
    expect(await rowCount('history')).toBe(N);
    // Owned by team-a: bronze, and silver when described; owned by a missing group: no level.
    const levels = (await db('results').select('level').count({ n: '*' }).groupBy('level').orderBy('level')) as unknown as Array<{
      level: string | null;
      n: string | number;
    }>;
    expect(levels.map((l) => [l.level, Number(l.n)])).toEqual([
      ['bronze', 200],
      ['silver', 200],
      [null, 200],
    ]);
    // A first result with a level is a level change from none (as before batching).
    expect((await levelChanges()).length).toBe(400);
  });

  it('writes nothing when an evaluation changes nothing', async () => {
    const before = await db('results').select('entity_ref', 'evaluated_at').orderBy('entity_ref');
    const sql = await evaluate(() => {
      for (let i = 0; i < N; i++) runtime.enqueue(ref(i));
    });
    expect(sql).toHaveLength(2);
    expect(sql.every((s) => /^\s*select/i.test(s))).toBe(true);
    expect(await db('results').select('entity_ref', 'evaluated_at').orderBy('entity_ref')).toEqual(before);
    expect(await rowCount('history')).toBe(N);
  });

  it('writes only what changed: one result, its history and facts, and its level change in the event log', async () => {
    // c-1 (team-a, no description: bronze) gets a description.
    const changed = Array.from({ length: N }, (_, i) =>
      i === 1 ? { ...component(1), metadata: { name: 'c-1', description: 'Now described' } } : component(i),
    );
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), catalogFile(changed));
    await catalog.refreshEntity(ref(1));
    await waitFor(async () => (await catalog.getEntityByRef(ref(1)))?.metadata.description === 'Now described', { timeoutMs: 30_000 });
    const factsBefore = await db('facts').select('entity_ref', 'updated_at').whereNot('entity_ref', ref(1)).orderBy('entity_ref');
    const sql = await evaluate(() => {
      for (let i = 0; i < 20; i++) runtime.enqueue(ref(i));
    });
    expect(sql).toHaveLength(2);
    expect((await db('results').where('entity_ref', ref(1)).first()).level).toBe('silver');
    expect(await db('history').where('entity_ref', ref(1)).orderBy('id').pluck('level')).toEqual(['bronze', 'silver']);
    expect(await rowCount('history')).toBe(N + 1);
    expect(await db('facts').select('entity_ref', 'updated_at').whereNot('entity_ref', ref(1)).orderBy('entity_ref')).toEqual(factsBefore);
    expect((await levelChanges()).filter((c) => c.entityRef === ref(1))).toEqual([
      expect.objectContaining({ from: null, to: 'bronze' }),
      expect.objectContaining({ from: 'bronze', to: 'silver' }),
    ]);
  });

  it('removes the results and facts of entities gone from the catalog, in the same single write', async () => {
    const sql = await evaluate(() => {
      runtime.removed(ref(3));
      runtime.enqueue('component:default/never-existed');
      runtime.enqueue(ref(4));
    });
    // One read (c-4, the never-existing one is known to be gone from the catalog's answer) and one
    // write: c-4 is unchanged, so the write holds only the removals.
    expect(sql).toHaveLength(2);
    expect(sql[1]).toMatch(/delete from results where entity_ref = any/);
    expect(sql[1]).not.toMatch(/insert into/);
    expect(await rowCount('results', { entity_ref: ref(3) })).toBe(0);
    expect(await rowCount('facts', { entity_ref: ref(3) })).toBe(0);
    expect(await rowCount('results', { entity_ref: ref(4) })).toBe(1);
  });

  it('goes on at once with a backlog of a full batch heard meanwhile, and waits eventBatchMs for a trickle', async () => {
    const slow = { ...config, eventBatchMs: 60_000 };
    /** A runtime that hears `during` more changes while its first batch reads the catalog. */
    const runtimeHearing = (during: number) => {
      let first = true;
      const hearing: CatalogService = {
        ...catalog,
        getEntitiesByRefs: (refs, options) => {
          if (first) {
            first = false;
            for (let i = 0; i < during; i++) r.enqueue(`component:default/gone-${i}`);
          }
          return catalog.getEntitiesByRefs(refs, options);
        },
      };
      const r: ScorecardsRuntime = new ScorecardsRuntime({
        config: slow,
        catalog: hearing,
        store,
        notifier: new Notifier(undefined, slow.notifications, logger),
        logger,
      });
      r.registerFactProvider(catalogFactProvider);
      return r;
    };
    const settle = (r: ScorecardsRuntime) => Promise.race([r.idle().then(() => 'idle'), new Promise((res) => setTimeout(() => res('waiting'), 20_000))]);

    // 600 queued, 600 more heard during the first batch: 700 wait after it, a full batch and more.
    const backlog = runtimeHearing(N);
    try {
      for (let i = 0; i < N; i++) backlog.enqueue(ref(i));
      expect(await settle(backlog)).toBe('idle');
      expect(backlog.catalogChanges()).toMatchObject({ idle: true, queued: 0, heard: 2 * N, batches: 3, entities: 2 * N });
    } finally {
      await backlog.stop();
    }

    // 10 queued, 5 heard during the batch: they wait for eventBatchMs (more may come for them).
    const trickle = runtimeHearing(5);
    try {
      for (let i = 0; i < 10; i++) trickle.enqueue(ref(i));
      await waitFor(async () => trickle.catalogChanges().batches === 1, { timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 1000));
      expect(trickle.catalogChanges()).toMatchObject({ queued: 5, batches: 1, entities: 10 });
    } finally {
      await trickle.stop();
    }
  });
});
