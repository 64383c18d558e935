import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationRun, AutomationSummary } from '../common/index.js';
import { automationsPlugin } from './plugin.js';
import { automationsServiceRef } from './service.js';
import { probePlugin } from './testing/probePlugin.js';
import { startReceiver } from './testing/receiver.js';

// The delivery worker's pipeline: claims of twice the slots (the rest waits in its queue),
// outcomes written in batches with the runs they finish.
describe.each(testDatabaseKinds())('delivery worker on %s', (database) => {
  let backend: TestBackend;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const runsOf = async (id: string) => (await backend.json<{ runs: AutomationRun[] }>(`/api/automations/automations/${id}?limit=200`)).body.runs;
  const emit = (payload: Record<string, unknown>) => backend.backend.service(automationsServiceRef).emit('probe.ping', { payload });

  beforeAll(async () => {
    receiver = await startReceiver('unused');
    const ping = (id: string, target: string, actions: object[]) => ({
      id,
      trigger: { type: 'probe.ping' },
      condition: `event.payload.target == "${target}"`,
      actions,
    });
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, automationsPlugin, probePlugin],
      config: {
        automations: {
          allowedHosts: ['127.0.0.1'],
          pollIntervalMs: 50,
          backoffBaseMs: 20,
          backoffMaxMs: 100,
          // Two requests at a time: most claimed deliveries wait in the worker's queue.
          deliveryConcurrency: 2,
          rules: [
            ping('burst', 'burst', [{ type: 'webhook', url: `${receiver.url}/ok/burst`, body: { i: '{{ event.payload.i }}' } }]),
            ping('mixed-ok', 'mixed', [
              { type: 'webhook', url: `${receiver.url}/ok/a` },
              { type: 'webhook', url: `${receiver.url}/flaky/b`, maxAttempts: 5 },
            ]),
            // The second action is refused (a private address that is not allowed): failed, no retry.
            ping('mixed-failed', 'mixed', [
              { type: 'webhook', url: `${receiver.url}/ok/c` },
              { type: 'webhook', url: `http://127.0.0.2:${receiver.port}/ok/d` },
            ]),
          ],
        },
      },
    });
    await waitFor(
      async () => (await backend.json<{ items: AutomationSummary[] }>('/api/automations/automations')).body.items.filter((a) => a.enabled).length === 3,
      { timeoutMs: 90_000 },
    );
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
    await receiver?.close();
  });

  it('sends a burst through two slots: each delivery once, in one attempt, and every run finished', async () => {
    const N = 150;
    for (let i = 0; i < N; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => emit({ target: 'burst', i: i + k })));
    const runs = await waitFor(
      async () => {
        const r = await runsOf('burst');
        return r.length === N && r.every((x) => x.status === 'succeeded') && r;
      },
      { timeoutMs: 120_000 },
    );
    const got = receiver.received.filter((r) => r.path === '/ok/burst');
    expect(got).toHaveLength(N);
    expect(new Set(got.map((r) => (r.body as { i: number }).i)).size).toBe(N);
    expect(new Set(got.map((r) => r.headers['idempotency-key'])).size).toBe(N);
    for (const run of runs) {
      expect(run.deliveries).toHaveLength(1);
      expect(run.deliveries![0]).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 });
      expect(run.deliveries![0]!.history).toHaveLength(1);
    }
  }, 180_000);

  it('finishes a run of several actions once none is pending: succeeded after retries, failed when one fails', async () => {
    await emit({ target: 'mixed' });
    const ok = await waitFor(async () => (await runsOf('mixed-ok')).find((r) => r.status !== 'running') ?? false, { timeoutMs: 60_000 });
    expect(ok.status).toBe('succeeded');
    expect(ok.deliveries!.map((d) => [d.status, d.attempts])).toEqual([
      ['succeeded', 1],
      ['succeeded', 3],
    ]);
    expect(ok.deliveries![1]!.history.map((h) => h.statusCode)).toEqual([500, 500, 200]);
    const failed = await waitFor(async () => (await runsOf('mixed-failed')).find((r) => r.status !== 'running') ?? false, { timeoutMs: 60_000 });
    expect(failed.status).toBe('failed');
    expect(failed.deliveries!.map((d) => [d.status, d.attempts])).toEqual([
      ['succeeded', 1],
      ['failed', 1],
    ]);
  }, 120_000);
});
