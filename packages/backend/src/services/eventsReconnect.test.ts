import { definePlugin, type EventEnvelope } from '@atrium/backend-plugin-api';
import { createTestPostgresDatabase, startTestBackend, testPostgresUrl, waitFor, type TestBackend, type TestPostgresDatabase } from '@atrium/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

function listenerPlugin(received: EventEnvelope[]) {
  return definePlugin({
    id: 'listener',
    setup({ events }) {
      events.subscribe('demo.*', (e) => {
        received.push(e);
      });
    },
  });
}

// Reconnecting backs off up to 10 s, so allow twice that.
const eventually = { timeoutMs: 20_000, intervalMs: 100 };

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!testPostgresUrl())('cross-replica events after the LISTEN connection is lost', () => {
  const receivedB: EventEnvelope[] = [];
  let db: TestPostgresDatabase;
  let a: TestBackend;
  let b: TestBackend;

  beforeAll(async () => {
    db = await createTestPostgresDatabase();
    a = await startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: 'replica-a', plugins: [listenerPlugin([])] });
    b = await startTestBackend({ database: 'postgres', postgresUrl: db.url, replicaId: 'replica-b', plugins: [listenerPlugin(receivedB)] });
  });
  afterAll(async () => {
    await admin((c) => c.query(`alter database "${db.name}" allow_connections true`)).catch(() => {});
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  it('reports not ready while disconnected, reconnects, LISTENs again and receives later events', async () => {
    await a.backend.events.publish('demo.before', { n: 1 });
    await waitFor(() => receivedB.some((e) => e.topic === 'demo.before'), eventually);
    expect((await b.json('/readyz')).status).toBe(200);
    const bus = b.backend.events;
    const before = bus.hearingGeneration();
    expect(before).toEqual(expect.any(Number));

    // Keep the listener from coming straight back, so the disconnected state is observable,
    // then kill replica b's LISTEN session the way an operator or a failover would.
    await admin((c) => c.query(`alter database "${db.name}" allow_connections false`));
    const killed = await admin((c) =>
      c.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = $2`, [db.name, 'atrium-events:replica-b']),
    );
    expect(killed.rowCount).toBe(1);

    await waitFor(async () => (await b.json('/readyz')).status === 503, eventually);
    const down = await b.json<{ status: string; events: { status: string; message: string } }>('/readyz');
    expect(down.body.status).toBe('unhealthy');
    expect(down.body.events.status).toBe('down');
    expect(down.body.events.message).toMatch(/reconnecting/);
    // While b hears nothing, what other replicas announce (e.g. a sign-out) can't be relied on.
    expect(bus.hearingGeneration()).toBeUndefined();

    await admin((c) => c.query(`alter database "${db.name}" allow_connections true`));
    await waitFor(async () => (await b.json('/readyz')).status === 200, eventually);
    const up = await b.json<{ events: { status: string } }>('/readyz');
    expect(up.body.events.status).toBe('ok');
    // A new generation: anything cached before the gap is not trusted again.
    expect(bus.hearingGeneration()).toEqual(expect.any(Number));
    expect(bus.hearingGeneration()).not.toBe(before);

    // An event published on replica a after the reconnect reaches replica b.
    await a.backend.events.publish('demo.after', { n: 2 });
    await waitFor(() => receivedB.some((e) => e.topic === 'demo.after'), eventually);
    expect(receivedB.find((e) => e.topic === 'demo.after')).toMatchObject({ payload: { n: 2 }, origin: 'replica-a' });
  });
});
