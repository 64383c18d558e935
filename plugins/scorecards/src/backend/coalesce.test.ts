import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesce.js';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('coalesced', () => {
  it('never runs twice at once; calls during a run share one follow-up run', async () => {
    const gates: Array<ReturnType<typeof deferred>> = [];
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const run = coalesced(async () => {
      const gate = deferred();
      gates.push(gate);
      runs++;
      active++;
      maxActive = Math.max(maxActive, active);
      await gate.promise;
      active--;
      return runs;
    });
    const first = run();
    const during = [run(), run(), run()];
    expect(runs).toBe(1);
    gates[0]!.resolve();
    expect(await first).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    gates[1]!.resolve();
    expect(await Promise.all(during)).toEqual([2, 2, 2]);
    expect(maxActive).toBe(1);
    // Idle again: the next call starts at once.
    const later = run();
    expect(runs).toBe(3);
    gates[2]!.resolve();
    expect(await later).toBe(3);
  });

  it('a failed run does not stop the follow-up, and its error goes to its own callers only', async () => {
    const gates: Array<ReturnType<typeof deferred>> = [];
    const run = coalesced(async () => {
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      return gates.length;
    });
    const first = run();
    const second = run();
    gates[0]!.reject(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 0));
    gates[1]!.resolve();
    await expect(second).resolves.toBe(2);
  });
});
