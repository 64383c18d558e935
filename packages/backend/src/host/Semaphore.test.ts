import { describe, expect, it } from 'vitest';
import { Semaphore } from './Semaphore.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('Semaphore', () => {
  it('runs at most `slots` tasks at once, in the order they came, and passes results and errors through', async () => {
    const slots = new Semaphore(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) =>
      slots.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await tick();
        running--;
        if (i === 3) throw new Error('task 3 failed');
        return i * 10;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(task));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, 'task 3 failed', 40, 50]);
    // Every slot is free again: two more run together.
    await Promise.all([task(6), task(7)]);
    expect(running).toBe(0);
  });

  it('refuses fewer than one slot', () => {
    expect(() => new Semaphore(0)).toThrow('at least one slot');
  });
});
