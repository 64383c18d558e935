import { describe, expect, it } from 'vitest';
import { applyEntityDefaults } from './defaults.js';
import type { Entity } from './entity.js';
import { example } from './fixtures.testing.js';

describe('applyEntityDefaults', () => {
  it('fills in the default namespace without touching the input', () => {
    const entity = example('Component') as Entity;
    delete entity.metadata.namespace;
    const snapshot = structuredClone(entity);
    const result = applyEntityDefaults(entity);
    expect(result.metadata.namespace).toBe('default');
    expect(entity).toEqual(snapshot);
    expect(result.spec).toBe(entity.spec);
  });

  it('replaces an empty namespace, as Backstage does', () => {
    const entity = example('Component') as Entity;
    entity.metadata.namespace = '';
    expect(applyEntityDefaults(entity).metadata.namespace).toBe('default');
  });

  it('keeps a given namespace and adds nothing else', () => {
    const entity = example('Location') as Entity;
    entity.metadata.namespace = 'ops';
    expect(applyEntityDefaults(entity)).toBe(entity);
    const bare = { apiVersion: 'backstage.io/v1alpha1', kind: 'Location', metadata: { name: 'x' }, spec: {} };
    expect(applyEntityDefaults(bare)).toEqual({ ...bare, metadata: { name: 'x', namespace: 'default' } });
  });
});
