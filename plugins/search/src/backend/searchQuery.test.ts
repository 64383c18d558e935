import { describe, expect, it } from 'vitest';
import { trigramPairs } from './searchQuery.js';
import { wordTrigrams } from './text.js';

/** Every subset of `items` with `k` elements. */
function* subsets<T>(items: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) return yield [];
  for (let i = from; i <= items.length - k; i++) for (const rest of subsets(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}

describe('trigramPairs', () => {
  it('keeps every row that shares the needed number of trigrams (pigeonhole)', () => {
    for (let n = 2; n <= 12; n++) {
      const trigrams = Array.from({ length: n }, (_, i) => `t${i}`);
      const need = Math.ceil(n * 0.5);
      const pairs = trigramPairs(trigrams, need);
      if (!pairs) {
        expect(need).toBeLessThan(2);
        continue;
      }
      for (const shared of subsets(trigrams, need)) {
        const set = new Set(shared);
        expect(
          pairs.some(([a, b]) => set.has(a!) && set.has(b!)),
          `n=${n} shared=${shared.join(',')}`,
        ).toBe(true);
      }
    }
  });

  it('asks for pairs of neighbouring trigrams of a word', () => {
    const pairs = trigramPairs(wordTrigrams('paments'), 4)!;
    expect(pairs).toContainEqual(['pam', 'ame']);
    expect(pairs.length).toBeLessThan(10);
  });
});
