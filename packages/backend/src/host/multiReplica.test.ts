import { definePlugin, type EventEnvelope } from '@atrium/backend-plugin-api';
import { createTestPostgresDatabase, startTestBackend, testPostgresUrl, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Run {
  replica: string;
  tick: string;
}

/** A plugin that records which replica ran each tick of a 1-second job, and the events it received. */
function recorderPlugin(replica: string, runs: Run[], received: EventEnvelope[]) {
  return definePlugin({
    id: 'recorder',
    setup({ scheduler, events, db }) {
      scheduler.every('recorder.tick', { intervalSeconds: 1 }, async () => {
        // The tick this replica claimed, as the scheduler recorded it.
        const row = await db.withSchema('atrium_host').from('scheduled_jobs').where({ id: 'recorder.tick' }).first('claimed_tick');
        runs.push({ replica, tick: new Date(row.claimed_tick).toISOString() });
        await new Promise((r) => setTimeout(r, 150));
      });
      events.subscribe('demo.*', (e) => {
        received.push(e);
      });
    },
  });
}

describe.skipIf(!testPostgresUrl())('two replicas on one Postgres', () => {
  const runs: Run[] = [];
  const receivedA: EventEnvelope[] = [];
  const receivedB: EventEnvelope[] = [];
  let a: TestBackend;
  let b: TestBackend;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    a = await startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: 'replica-a', plugins: [recorderPlugin('a', runs, receivedA)] });
    b = await startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: 'replica-b', plugins: [recorderPlugin('b', runs, receivedB)] });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await drop?.();
  });

  it('runs a scheduled job once per tick between them', async () => {
    await waitFor(() => runs.length >= 5, { timeoutMs: 20_000, message: 'five ticks run' });
    const ticks = runs.map((r) => r.tick);
    expect(new Set(ticks).size).toBe(ticks.length);
    // Consecutive ticks are about one interval apart: no tick was skipped or doubled.
    const sorted = [...ticks].sort();
    for (let i = 1; i < sorted.length; i++) {
      const gap = Date.parse(sorted[i]!) - Date.parse(sorted[i - 1]!);
      expect(gap).toBeGreaterThanOrEqual(900);
    }
  });

  it('carries an event published in one replica to the other, small and large', async () => {
    await a.backend.events.publish('demo.small', { hello: 'b' });
    const big = 'x'.repeat(20_000);
    await a.backend.events.publish('demo.large', { big });
    await waitFor(() => receivedB.length >= 2);
    expect(receivedB.map((e) => e.topic).sort()).toEqual(['demo.large', 'demo.small']);
    expect(receivedB.find((e) => e.topic === 'demo.large')?.payload).toEqual({ big });
    expect(receivedB.every((e) => e.origin === 'replica-a')).toBe(true);
    // The publisher got its own events once, in-process, not again through NOTIFY.
    await new Promise((r) => setTimeout(r, 300));
    expect(receivedA.map((e) => e.topic).sort()).toEqual(['demo.large', 'demo.small']);
  });
});

describe.skipIf(!testPostgresUrl())('replicas starting at the same moment on an empty database', () => {
  it('all start: schema creation and migrations are serialised', async () => {
    const db = await createTestPostgresDatabase();
    const { greetingPlugin } = await import('./testPlugins.fixture.js');
    const replicas = await Promise.all(
      [1, 2, 3].map((i) => startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: `r${i}`, plugins: [greetingPlugin] })),
    );
    try {
      for (const r of replicas) {
        expect((await r.json('/readyz')).status).toBe(200);
      }
      expect((await replicas[0]!.json('/api/greeting/greetings', { method: 'POST', body: { name: 'x' } })).status).toBe(201);
      expect((await replicas[2]!.json('/api/greeting/greetings')).body).toEqual({ items: [{ name: 'x' }] });
    } finally {
      for (const r of replicas) await r.stop();
      await db.drop();
    }
  });
});
