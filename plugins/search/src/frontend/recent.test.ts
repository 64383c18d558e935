import { describe, expect, it } from 'vitest';
import { RECENT_LIMIT, RECENT_STORAGE_KEY, readRecent, rememberRecent } from './recent';

function memoryStorage(initial?: string) {
  const data = new Map<string, string>(initial === undefined ? [] : [[RECENT_STORAGE_KEY, initial]]);
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe('recent items', () => {
  it('keeps the last eight, newest first, each location once', () => {
    const storage = memoryStorage();
    for (let i = 0; i < 10; i++) rememberRecent({ title: `t${i}`, location: `/catalog/default/component/c${i}`, type: 'software-catalog' }, storage);
    rememberRecent({ title: 't5 again', location: '/catalog/default/component/c5', type: 'software-catalog' }, storage);
    const items = readRecent(storage);
    expect(items).toHaveLength(RECENT_LIMIT);
    expect(items.map((i) => i.title)).toEqual(['t5 again', 't9', 't8', 't7', 't6', 't4', 't3', 't2']);
  });

  it('ignores unreadable storage and entries that are not app paths', () => {
    expect(readRecent(memoryStorage('not json'))).toEqual([]);
    expect(readRecent(memoryStorage('{"a":1}'))).toEqual([]);
    const stored = JSON.stringify([
      { title: 'ok', location: '/docs', type: 'techdocs' },
      { title: 'evil', location: 'javascript:alert(1)', type: 'x' },
      { title: 'other site', location: '//evil.example', type: 'x' },
      { title: 5, location: '/x', type: 'x' },
    ]);
    expect(readRecent(memoryStorage(stored)).map((i) => i.title)).toEqual(['ok']);
  });
});
