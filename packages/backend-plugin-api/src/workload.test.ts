import { describe, expect, it } from 'vitest';
import { CoalescingQueue } from './coalescingQueue.js';
import { createWorkload } from './workload.js';

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
