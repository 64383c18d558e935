import { describe, expect, it } from 'vitest';
import { forEachYielding } from './yielding.js';

describe('forEachYielding', () => {
  it('gives the event loop a turn once a slice of synchronous work is used up', async () => {
    let now = 0;
    const order: string[] = [];
    // Each item "takes" 8 ms on the fake clock; with 20 ms slices a turn comes every third item.
    const turns = await forEachYielding(
      [1, 2, 3, 4, 5, 6, 7],
      (i) => {
        order.push(`item ${i}`);
        now += 8;
      },
      { sliceMs: 20, clock: () => now, yieldTurn: async () => void order.push('turn') },
    );
    expect(order).toEqual(['item 1', 'item 2', 'item 3', 'turn', 'item 4', 'item 5', 'item 6', 'turn', 'item 7']);
    expect(turns).toBe(2);
  });

  it('lets a pending timer run between items of a long batch', async () => {
    let now = 0;
    let timerRan = false;
    const seenAfterTimer: number[] = [];
    setImmediate(() => (timerRan = true));
    await forEachYielding(
      [1, 2, 3],
      (i) => {
        if (timerRan) seenAfterTimer.push(i);
        now += 50;
      },
      { clock: () => now },
    );
    expect(seenAfterTimer).toEqual([2, 3]);
  });
});
