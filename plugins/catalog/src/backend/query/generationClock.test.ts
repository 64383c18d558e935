import { describe, expect, it } from 'vitest';
import type { Db } from '../store/sql.js';
import { GenerationClock } from './generationClock.js';
import { advanceGeneration } from '../store/generation.js';

/** A database stand-in answering the generation query from a counter (and counting the queries). */
function fakeDb() {
  const state = { generation: 1, reads: 0, release: undefined as (() => void) | undefined, hold: false };
  const db = {
    raw: async (sql: string) => {
      if (sql.includes('nextval')) {
        state.generation++;
        return { rows: [] };
      }
      state.reads++;
      const value = String(state.generation);
      if (state.hold) await new Promise<void>((r) => (state.release = r));
      return { rows: [{ generation: value }] };
    },
  } as unknown as Db;
  return { db, state };
}

describe('GenerationClock', () => {
  it('reads the generation once per max age, and again after it', async () => {
    const { db, state } = fakeDb();
    let now = 0;
    const clock = new GenerationClock(db, 1000, () => now);
    expect(await clock.current()).toBe('1');
    now = 999;
    expect(await clock.current()).toBe('1');
    expect(state.reads).toBe(1);
    state.generation = 5; // advanced by another replica, no event seen
    now = 1000;
    expect(await clock.current()).toBe('5');
    expect(state.reads).toBe(2);
  });

  it('forgets the generation at once when this process advances it, and on invalidate()', async () => {
    const { db, state } = fakeDb();
    const clock = new GenerationClock(db, 60_000, () => 0);
    expect(await clock.current()).toBe('1');
    await advanceGeneration(db);
    expect(await clock.current()).toBe('2');
    state.generation = 7;
    clock.invalidate();
    expect(await clock.current()).toBe('7');
  });

  it('shares one query between concurrent readers, and never keeps a value read across an invalidation', async () => {
    const { db, state } = fakeDb();
    const clock = new GenerationClock(db, 60_000, () => 0);
    state.hold = true;
    const first = clock.current();
    const second = clock.current();
    await Promise.resolve();
    clock.invalidate(); // a change lands while the read is in flight
    state.hold = false;
    state.release?.();
    expect(await first).toBe('1');
    expect(await second).toBe('1');
    expect(state.reads).toBe(1);
    state.generation = 2;
    expect(await clock.current()).toBe('2'); // read again: the in-flight value was not kept
    expect(state.reads).toBe(2);
  });
});
