import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { createTestPostgresDatabase, startTestBackend, testPostgresUrl, waitFor } from '@atrium/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { AutomationRun, AutomationSummary } from '../common/index.js';
import { automationsPlugin } from './plugin.js';
import { automationsServiceRef } from './service.js';
import { probePlugin } from './testing/probePlugin.js';
import { startReceiver } from './testing/receiver.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing/replicaProcess.ts');

const config = (receiverUrl: string) => ({
  automations: {
    allowedHosts: ['127.0.0.1'],
    pollIntervalMs: 50,
    defaultTimeoutMs: 1000,
    leaseSeconds: 1,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    rules: [
      {
        id: 'count',
        trigger: { type: 'probe.ping' },
        condition: 'event.payload.target == "count"',
        actions: [{ type: 'webhook', url: `${receiverUrl}/ok/count` }],
      },
      { id: 'hold', trigger: { type: 'probe.ping' }, condition: 'event.payload.target == "hold"', actions: [{ type: 'webhook', url: `${receiverUrl}/hold` }] },
    ],
  },
});

// Several replicas need one shared database: Postgres only (PGlite is one process's memory).
describe.skipIf(!testPostgresUrl())('automations across replicas (Postgres)', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('runs each (automation, event) once and delivers each once with two replicas', async () => {
    const receiver = await startReceiver('unused');
    cleanup.push(() => receiver.close());
    const a = await startTestBackend({
      database: 'postgres',
      replicaId: 'replica-a',
      plugins: [catalogPlugin, automationsPlugin, probePlugin],
      config: config(receiver.url),
    });
    cleanup.push(() => a.stop());
    const b = await startTestBackend({
      database: 'postgres',
      postgresUrl: a.postgresUrl!,
      replicaId: 'replica-b',
      plugins: [catalogPlugin, automationsPlugin, probePlugin],
      config: config(receiver.url),
    });
    cleanup.push(() => b.stop());
    await waitFor(
      async () => (await a.json<{ items: AutomationSummary[] }>('/api/automations/automations')).body.items.find((x) => x.id === 'count')?.enabled === true,
    );
    await waitFor(
      async () => (await b.json<{ items: AutomationSummary[] }>('/api/automations/automations')).body.items.find((x) => x.id === 'count')?.enabled === true,
    );
    const N = 60;
    for (let i = 0; i < N; i++) await (i % 2 ? a : b).backend.service(automationsServiceRef).emit('probe.ping', { payload: { target: 'count', i } });
    const runs = await waitFor(
      async () => {
        const r = (await a.json<{ runs: AutomationRun[] }>('/api/automations/automations/count?limit=200')).body.runs;
        return r.length === N && r.every((x) => x.status === 'succeeded') && r;
      },
      { timeoutMs: 60_000 },
    );
    expect(new Set(runs.map((r) => r.eventKey)).size).toBe(N);
    const count = receiver.received.filter((r) => r.path === '/ok/count');
    expect(count).toHaveLength(N);
    expect(new Set(count.map((r) => r.headers['idempotency-key'])).size).toBe(N);
    expect(new Set(count.map((r) => (r.body as { payload: { i: number } }).payload.i)).size).toBe(N);
    expect(runs.every((r) => r.deliveries?.length === 1 && r.deliveries[0]!.attempts === 1)).toBe(true);
  }, 240_000);

  it('loses nothing when a replica is killed (kill -9) in the middle of a delivery', async () => {
    const receiver = await startReceiver('unused');
    cleanup.push(() => receiver.close());
    const db = await createTestPostgresDatabase();
    cleanup.push(() => db.drop());
    // The child is the only replica until it is killed, so it is the one holding the delivery.
    // One process (tsx as a loader, not its CLI, which would run the script in a grandchild).
    const child: ChildProcess = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', childScript], {
      cwd: repoRoot,
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        ATRIUM_REPLICA_DB: db.url,
        ATRIUM_REPLICA_ID: 'doomed',
        ATRIUM_REPLICA_CONFIG: JSON.stringify(config(receiver.url)),
        ATRIUM_REPLICA_PAYLOAD: JSON.stringify({ target: 'hold' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanup.push(() => void (child.exitCode === null && child.kill('SIGKILL')));

    // The first attempt reaches the receiver, which holds it: kill -9 the child in the middle of it.
    await waitFor(() => receiver.held.length === 1 || (child.exitCode !== null && Promise.reject(new Error(`child exited: ${stderr}`))), {
      timeoutMs: 180_000,
    });
    const first = receiver.received.find((r) => r.path === '/hold')!;
    child.kill('SIGKILL');
    await exited;
    receiver.release(); // from now on the receiver answers at once
    // Another replica starts on the same database and takes the delivery over once the lease ends.
    const survivor = await startTestBackend({
      database: 'postgres',
      postgresUrl: db.url,
      replicaId: 'survivor',
      plugins: [catalogPlugin, automationsPlugin, probePlugin],
      config: config(receiver.url),
    });
    cleanup.push(() => survivor.stop());

    const run = await waitFor(
      async () => {
        const r = (await survivor.json<{ runs: AutomationRun[] }>('/api/automations/automations/hold')).body.runs;
        return r.length === 1 && r[0]!.status === 'succeeded' && r[0]!;
      },
      { timeoutMs: 60_000 },
    );
    const d = run.deliveries![0]!;
    const attempts = receiver.received.filter((r) => r.path === '/hold');
    // At least once: the same delivery (same idempotency key) arrived again after the lease ran out.
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(new Set(attempts.map((r) => r.headers['idempotency-key']))).toEqual(new Set([d.idempotencyKey]));
    expect(first.headers['idempotency-key']).toBe(d.idempotencyKey);
    expect(d.status).toBe('succeeded');
    // The dead replica never recorded its attempt; the survivor recorded the one that succeeded.
    expect(d.history.at(-1)).toMatchObject({ statusCode: 200 });
    expect(d.attempts).toBeGreaterThanOrEqual(2);
  }, 300_000);
});
