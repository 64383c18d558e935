import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttlCache.js';

describe('TtlCache', () => {
  it('keeps an entry for its time to live by the given clock, then forgets it', () => {
    const cache = new TtlCache<string>(5_000);
    cache.set('a', 'refs-a', 1_000);
    expect(cache.get('a', 5_999)).toBe('refs-a');
    expect(cache.get('a', 6_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets entries when the clock goes backwards, when cleared, and when disabled', () => {
    const cache = new TtlCache<number>(5_000);
    cache.set('a', 1, 10_000);
    expect(cache.get('a', 9_000)).toBeUndefined();
    cache.set('b', 2, 10_000);
    cache.clear();
    expect(cache.get('b', 10_001)).toBeUndefined();
    const off = new TtlCache<number>(0);
    off.set('c', 3, 0);
    expect(off.get('c', 0)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new TtlCache<number>(60_000, 2);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect([cache.get('a', 1), cache.get('b', 1), cache.get('c', 1)]).toEqual([undefined, 2, 3]);
  });
});
