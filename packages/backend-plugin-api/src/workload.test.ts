import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoalescingQueue } from './coalescingQueue.js';
import { createWorkload, MAX_WAIT_FACTOR } from './workload.js';

describe('WorkloadService', () => {
  it('is idle at once with no bulk work, and waits for every running bulk job to end', async () => {
    const workload = createWorkload();
    await workload.whenIdle();
    const endA = workload.beginBulk('a');
    const endB = workload.beginBulk('b');
    expect(workload.running()).toEqual(['a', 'b']);
    let idle = false;
    const waiting = workload.whenIdle(60_000).then(() => (idle = true));
    endA();
    endA(); // twice: harmless, and it does not end b
    await new Promise((r) => setTimeout(r, 10));
    expect(idle).toBe(false);
    endB();
    await waiting;
    expect(workload.running()).toEqual([]);
  });

  it('stops waiting after maxWaitMs, so a very long load starves nobody', async () => {
    const workload = createWorkload();
    workload.beginBulk('endless');
    const started = Date.now();
    await workload.whenIdle(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});

describe('WorkloadService: waiting on bulk work that reports progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Advances fake time and says whether the wait has ended. */
  const after = async (ms: number, state: { idle: boolean }) => {
    await vi.advanceTimersByTimeAsync(ms);
    return state.idle;
  };

  it('keeps waiting while the bulk work progresses, and stops once it has been quiet for maxWaitMs', async () => {
    vi.useFakeTimers();
    const workload = createWorkload();
    const bulk = workload.beginBulk('ingest');
    const state = { idle: false };
    void workload.whenIdle(100).then(() => (state.idle = true));
    expect(await after(80, state)).toBe(false);
    bulk.progress(); // at 80: quiet until 180
    expect(await after(80, state)).toBe(false); // 160
    bulk.progress(); // at 160: quiet until 260
    expect(await after(90, state)).toBe(false); // 250
    expect(await after(15, state)).toBe(true); // 265: 105 ms without progress
  });

  it(`stops after ${MAX_WAIT_FACTOR} × maxWaitMs even if the bulk work never stops progressing`, async () => {
    vi.useFakeTimers();
    const workload = createWorkload();
    const bulk = workload.beginBulk('endless');
    const state = { idle: false };
    void workload.whenIdle(100).then(() => (state.idle = true));
    for (let t = 0; t < MAX_WAIT_FACTOR * 100 - 50; t += 50) {
      bulk.progress();
      expect(await after(50, state)).toBe(false);
    }
    bulk.progress();
    expect(await after(60, state)).toBe(true);
  });

  it('ignores progress reported after the work ended, and still ends the wait when the work ends', async () => {
    vi.useFakeTimers();
    const workload = createWorkload();
    const old = workload.beginBulk('old');
    old();
    old.progress(); // ended: no effect on later waits
    const bulk = workload.beginBulk('new');
    const state = { idle: false };
    void workload.whenIdle(100).then(() => (state.idle = true));
    expect(await after(50, state)).toBe(false);
    bulk();
    expect(await after(0, state)).toBe(true);
    // A stalled bulk (no progress at all) is waited for maxWaitMs, as before.
    workload.beginBulk('stalled');
    const second = { idle: false };
    void workload.whenIdle(100).then(() => (second.idle = true));
    expect(await after(99, second)).toBe(false);
    expect(await after(2, second)).toBe(true);
  });
});

describe('CoalescingQueue with yieldTo', () => {
  it('holds its batches while bulk work runs, coalescing meanwhile, and catches up after', async () => {
    const workload = createWorkload();
    const batches: Array<Array<[string, number]>> = [];
    const q = new CoalescingQueue<number>(
      async (batch) => {
        batches.push([...batch]);
      },
      { batchSize: 100, yieldTo: workload, maxWaitMs: 60_000 },
    );
    const end = workload.beginBulk('ingest');
    for (let i = 0; i < 10; i++) q.add(`k${i % 4}`, i);
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([]);
    for (let i = 10; i < 20; i++) q.add(`k${i % 4}`, i);
    end();
    await q.idle();
    // One batch after the bulk work, holding each key's last value.
    expect(batches).toEqual([
      [
        ['k0', 16],
        ['k1', 17],
        ['k2', 18],
        ['k3', 19],
      ],
    ]);
  });
});
