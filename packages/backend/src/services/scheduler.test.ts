import { definePlugin } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** A plugin with a job due every second and one due only in an hour. */
function jobsPlugin(runs: number[]) {
  return definePlugin({
    id: 'jobs',
    setup({ scheduler }) {
      scheduler.every('jobs.frequent', { intervalSeconds: 1 }, async () => {
        runs.push(Date.now());
      });
      scheduler.every('jobs.hourly', { intervalSeconds: 3600, runOnStart: false }, async () => {
        throw new Error('must not run during the test');
      });
    },
  });
}

describe.each(testDatabaseKinds())('scheduler on %s', (database) => {
  const runs: number[] = [];
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ database, plugins: [jobsPlugin(runs)], config: { backend: { scheduler: { pollIntervalMs: 50 } } } });
  });
  afterAll(() => t?.stop());

  it('runs a job every interval, and between ticks reads the job table only when something is due', async () => {
    const scheduler = t.backend.scheduler as unknown as { poll: () => Promise<number> };
    const poll = vi.spyOn(scheduler, 'poll');
    const start = runs.length;
    await new Promise((r) => setTimeout(r, 3200));
    // Three or so one-second ticks ran...
    expect(runs.length - start).toBeGreaterThanOrEqual(2);
    expect(runs.length - start).toBeLessThanOrEqual(4);
    // ...and the poller woke about once per tick (plus once after each run), not every 50 ms (~64 times).
    expect(poll.mock.calls.length).toBeLessThanOrEqual(12);
    const status = await t.backend.scheduler.status();
    expect(status.find((j) => j.id === 'jobs.hourly')?.lastRunAt).toBeNull();
  });
});
