import type { EntityLike } from '@atrium/frontend-plugin-api';
import { describe, expect, it } from 'vitest';
import { canonicalRefKey, createEntityTitleLoader, entityTitleOf } from './entityTitles';

const entity = (name: string, extra: { title?: string; displayName?: string } = {}): EntityLike => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, ...(extra.title ? { title: extra.title } : {}) },
  spec: extra.displayName ? { profile: { displayName: extra.displayName } } : {},
});

describe('entityTitleOf', () => {
  it('prefers the title, then the display name, then the name', () => {
    expect(entityTitleOf(entity('a', { title: 'Team A', displayName: 'A people' }))).toBe('Team A');
    expect(entityTitleOf(entity('a', { displayName: 'A people' }))).toBe('A people');
    expect(entityTitleOf(entity('a'))).toBe('a');
  });
});

describe('canonicalRefKey', () => {
  it('fills in kind and namespace and lower-cases', () => {
    expect(canonicalRefKey('Platform-Team', { defaultKind: 'group' })).toBe('group:default/platform-team');
    expect(canonicalRefKey('user:ops/Kim')).toBe('user:ops/kim');
    expect(canonicalRefKey('no-kind')).toBeUndefined();
  });
});

describe('createEntityTitleLoader', () => {
  it('asks once for the refs requested together, in batches, and answers each caller', async () => {
    const calls: string[][] = [];
    const known = new Map([
      ['group:default/a', entity('a', { title: 'Team A' })],
      ['group:default/b', entity('b')],
    ]);
    const loader = createEntityTitleLoader(
      async (refs) => {
        calls.push(refs);
        return refs.map((ref) => known.get(ref) ?? null);
      },
      { maxBatch: 2, windowMs: 1 },
    );
    const answers = await Promise.all([
      loader.load('group:default/a'),
      loader.load('group:default/b'),
      loader.load('group:default/a'),
      loader.load('group:default/missing'),
    ]);
    expect(answers).toEqual(['Team A', 'b', 'Team A', null]);
    expect(calls).toEqual([['group:default/a', 'group:default/b'], ['group:default/missing']]);
  });

  it('rejects every caller of a failed batch, and the next batch asks again', async () => {
    let fail = true;
    const loader = createEntityTitleLoader(
      async (refs) => {
        if (fail) throw new Error('catalog down');
        return refs.map((r) => entity(r.split('/')[1]!));
      },
      { windowMs: 1 },
    );
    await expect(loader.load('group:default/a')).rejects.toThrow('catalog down');
    fail = false;
    await expect(loader.load('group:default/a')).resolves.toBe('a');
  });
});
