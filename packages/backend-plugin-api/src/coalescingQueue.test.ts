import { describe, expect, it } from 'vitest';
import { CoalescingQueue } from './coalescingQueue.js';

describe('CoalescingQueue', () => {
  it('keeps the last value per key and works through batches one at a time', async () => {
    const batches: Array<Array<[string, number]>> = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const q = new CoalescingQueue<number>(
      async (batch) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 5));
        batches.push([...batch]);
        concurrent--;
      },
      { batchSize: 3 },
    );
    for (let i = 0; i < 10; i++) q.add(`k${i % 5}`, i);
    await q.idle();
    expect(maxConcurrent).toBe(1);
    const seen = new Map(batches.flat());
    expect(seen).toEqual(
      new Map([
        ['k0', 5],
        ['k1', 6],
        ['k2', 7],
        ['k3', 8],
        ['k4', 9],
      ]),
    );
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    // The first batch was taken before the later values came in; each key's last value was processed last.
    expect(
      batches
        .flat()
        .filter(([k]) => k === 'k0')
        .at(-1),
    ).toEqual(['k0', 5]);
  });

  it('puts a failed batch back, without overwriting a newer value, and retries it', async () => {
    let calls = 0;
    const done: Array<[string, string]> = [];
    const errors: number[] = [];
    const q = new CoalescingQueue<string>(
      async (batch) => {
        calls++;
        if (calls === 1) {
          q.add('a', 'newer');
          throw new Error('database busy');
        }
        done.push(...batch);
      },
      { retryMs: 1, onError: (_e, keys) => errors.push(keys) },
    );
    q.add('a', 'old');
    q.add('b', 'only');
    await q.idle();
    expect(errors).toEqual([2]);
    expect(new Map(done)).toEqual(
      new Map([
        ['a', 'newer'],
        ['b', 'only'],
      ]),
    );
  });

  it('is idle at once when empty, and drops what waits when stopped', async () => {
    const q = new CoalescingQueue<number>(async () => new Promise((r) => setTimeout(r, 5)));
    await q.idle();
    q.add('x', 1);
    q.add('y', 2);
    q.stop();
    q.add('z', 3);
    await q.idle();
    expect(q.size).toBe(0);
  });
});
