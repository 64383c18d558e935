import { describe, expect, it, vi } from 'vitest';
import type { EntityLike } from './entity';
import { filterForEntity } from './entityExtensions';

const api: EntityLike = { apiVersion: 'backstage.io/v1alpha1', kind: 'API', metadata: { name: 'payments' } };

describe('filterForEntity', () => {
  it('keeps extensions without a predicate and those whose predicate matches', () => {
    const tabs = [
      { id: 'all', pluginId: 'p' },
      { id: 'apis', pluginId: 'p', if: (e: EntityLike) => e.kind === 'API' },
      { id: 'groups', pluginId: 'p', if: (e: EntityLike) => e.kind === 'Group' },
    ];
    expect(filterForEntity(tabs, api).map((t) => t.id)).toEqual(['all', 'apis']);
  });

  it('treats a throwing predicate as not applying', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = {
      id: 'broken',
      pluginId: 'p',
      if: () => {
        throw new Error('boom');
      },
    };
    expect(filterForEntity([broken], api)).toEqual([]);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });
});
