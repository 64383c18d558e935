import { createTestPostgresDatabase, testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigBundle } from '../config/ConfigBundle.js';
import type { Database } from '../database/Database.js';
import { openDatabase } from '../database/openDatabase.js';
import { runMigrations } from '../database/runMigrations.js';
import { hostMigrations } from '../host/hostMigrations.js';
import { EventLogStore } from './EventLogStore.js';

const ev = (topic: string, n: number, entityRef?: string) => ({ topic, payload: { n }, ...(entityRef ? { entityRef } : {}) });

describe.each(testDatabaseKinds())('event log store (%s)', (kind) => {
  let database: Database;
  let knex: Knex;
  let store: EventLogStore;
  let drop: (() => Promise<void>) | undefined;
  /** On Postgres, two more "replicas" (their own pools) whose writers race the reader. */
  const replicas: Array<{ database: Database; knex: Knex; store: EventLogStore }> = [];
  beforeAll(async () => {
    let db: Record<string, unknown> = { client: 'pglite', connection: ':memory:' };
    if (kind === 'postgres') {
      const created = await createTestPostgresDatabase();
      drop = created.drop;
      db = { client: 'pg', connection: created.url };
    }
    database = (await openDatabase(ConfigBundle.fromObject({ backend: { database: db } }, process.cwd(), 'test-config.yaml'))) as Database;
    knex = await database.forSchema('atrium_host');
    await runMigrations(knex, 'atrium_host', hostMigrations);
    store = new EventLogStore(knex);
    if (kind === 'postgres') {
      for (let r = 0; r < 2; r++) {
        const other = (await openDatabase(ConfigBundle.fromObject({ backend: { database: db } }, process.cwd(), 'test-config.yaml'))) as Database;
        const otherKnex = await other.forSchema('atrium_host');
        replicas.push({ database: other, knex: otherKnex, store: new EventLogStore(otherKnex) });
      }
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.database.close();
    await database?.close();
    await drop?.();
  });

  it('appends in order, reads by cursor with topic prefixes and entity filters, and rolls back with the transaction', async () => {
    const start = (await store.read({ limit: 1000 })).next;
    const ids = await store.append([ev('test.a.created', 1, 'component:default/x'), ev('test.b.changed', 2), ev('test.a.deleted', 3, 'component:default/y')]);
    expect(ids).toHaveLength(3);
    expect(BigInt(ids[0]!) < BigInt(ids[1]!) && BigInt(ids[1]!) < BigInt(ids[2]!)).toBe(true);
    await expect(
      knex.transaction(async (trx) => {
        await store.append([ev('test.a.created', 99)], trx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    const all = await store.read({ after: start });
    expect(all.events.map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(all.next).toBe(String(BigInt(ids[2]!) + 1n)); // the rolled-back id is passed over
    expect(all.events[0]).toMatchObject({ topic: 'test.a.created', entityRef: 'component:default/x', actor: null });
    expect(all.events[0]!.txid).toMatch(/^[0-9]+$/);
    expect((await store.read({ after: start, topics: ['test.a.*'] })).events.map((e) => e.topic)).toEqual(['test.a.created', 'test.a.deleted']);
    expect((await store.read({ after: start, topics: ['test.b.changed'] })).events.map((e) => e.payload)).toEqual([{ n: 2 }]);
    // `_` and `%` in a pattern are literal.
    expect((await store.read({ after: start, topics: ['test_%'] })).events).toEqual([]);
    expect((await store.read({ after: start, entityRef: 'component:default/y' })).events.map((e) => e.payload)).toEqual([{ n: 3 }]);
    const first = await store.read({ after: start, limit: 2 });
    expect(first.events).toHaveLength(2);
    expect(first.next).toBe(first.events[1]!.id);
    const newest = await store.read({ newestFirst: true, limit: 2 });
    expect(newest.events.map((e) => e.payload)).toEqual([{ n: 3 }, { n: 2 }]);
    expect((await store.read({ newestFirst: true, before: newest.next, limit: 2 })).events[0]!.payload).toEqual({ n: 1 });
    await expect(store.append([{ topic: 'Bad Topic', payload: {} }])).rejects.toThrow(/bad topic/);
    await expect(store.read({ after: '-1' })).rejects.toThrow(/non-negative integer/);
  });

  it('reports its size and prunes by age', async () => {
    const before = await store.stats(90);
    expect(before.rows).toBeGreaterThan(0);
    expect(before.bytes).toBeGreaterThan(0);
    expect(before.retentionDays).toBe(90);
    expect(await store.prune(new Date(0))).toBe(0);
    const removed = await store.prune(new Date(Date.now() + 60_000));
    expect(removed).toBe(before.rows);
    expect((await store.stats(90)).rows).toBe(0);
  });

  it('concurrent writers committing out of order: a polling reader sees every committed event exactly once, in id order', async () => {
    const start = (await store.read({ limit: 1000 })).next;
    const writers = kind === 'postgres' ? 8 : 3;
    const perWriter = 12;
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let writing = true;
    let outOfOrder = 0;
    const seen: string[] = [];
    let cursor = start;
    const reader = (async () => {
      for (;;) {
        const done = !writing;
        const page = await store.read({ after: cursor, limit: 7 });
        for (const e of page.events) seen.push(e.id);
        cursor = page.next;
        if (done && page.events.length === 0) return;
        await new Promise((r) => setTimeout(r, page.events.length === 7 ? 0 : 3));
      }
    })();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const replica = replicas.length > 0 ? replicas[w % replicas.length]! : { knex, store };
        for (let i = 0; i < perWriter; i++) {
          const trx = await replica.knex.transaction();
          const ids = await replica.store.append([ev('test.concurrent.one', w * 1000 + i), ev('test.concurrent.two', w * 1000 + i)], trx);
          // Hold the transaction open for a while so later ids from other writers commit first.
          await sleep(((w * 7 + i * 3) % 5) * 4);
          if (i % 5 === 4) {
            await trx.rollback();
            ids.forEach((id) => rolledBack.add(id));
          } else {
            await trx.commit();
            const last = ids[ids.length - 1]!;
            if ([...committed].some((c) => BigInt(c) > BigInt(last))) outOfOrder++;
            ids.forEach((id) => committed.add(id));
          }
        }
      }),
    );
    writing = false;
    await reader;
    const expected = [...committed].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    expect(seen).toEqual(expected);
    // The writers really did commit out of id order (else this test would prove nothing).
    if (kind === 'postgres') expect(outOfOrder).toBeGreaterThan(0);
    expect(seen.some((id) => rolledBack.has(id))).toBe(false);
  });

  it.runIf(kind === 'postgres')('holds the horizon below a transaction still in flight, where an id-only or xmin-only reader skips it', async () => {
    const start = (await store.read({ limit: 1000 })).next;
    const early = await knex.transaction();
    const late = await knex.transaction();
    try {
      // `late` takes its transaction id first, then `early` draws the lower event id and stays open.
      await late.raw('select pg_current_xact_id()');
      const [earlyId] = await store.append([ev('test.order.early', 1)], early);
      const [lateId] = await store.append([ev('test.order.late', 2)], late);
      await late.commit();
      expect(BigInt(earlyId!) < BigInt(lateId!)).toBe(true);

      // A plain "id > cursor" read returns the late event and would move its cursor past the early one.
      const naive = await knex.withSchema('atrium_host').table('event_log').where('id', '>', start).orderBy('id').select('id');
      expect(naive.map((r: { id: string | number }) => String(r.id))).toEqual([lateId]);
      // So does "xid below the snapshot's xmin" in id order: late's xid is older than early's, which is still running.
      const byXmin = (await knex.raw(
        `select id::text as id from atrium_host.event_log where id > ? and txid < pg_snapshot_xmin(pg_current_snapshot()) order by id`,
        [start],
      )) as {
        rows: Array<{ id: string }>;
      };
      expect(byXmin.rows.map((r) => r.id)).toEqual([lateId]);

      // The store's horizon stops below the early event until it commits.
      const held = await store.read({ after: start });
      expect(held.events).toEqual([]);
      expect(BigInt(held.next) < BigInt(earlyId!)).toBe(true);
      await early.commit();
      const released = await store.read({ after: held.next });
      expect(released.events.map((e) => e.id)).toEqual([earlyId, lateId]);
    } finally {
      if (!early.isCompleted()) await early.rollback();
      if (!late.isCompleted()) await late.rollback();
    }
  });
});
