import type { Entity, JsonValue } from '@atrium/catalog-model';
import { describe, expect, it } from 'vitest';
import { ownerRefOf, refOf } from './builtins.js';

const entity = (owner: JsonValue | undefined, namespace?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'Orders', ...(namespace ? { namespace } : {}) },
  spec: { owner },
});

describe('entity refs in facts', () => {
  it('writes an entity ref in the catalog-model canonical form', () => {
    expect(refOf(entity('x'))).toBe('component:default/orders');
    expect(refOf(entity('x', 'Shop'))).toBe('component:shop/orders');
  });

  it('reads spec.owner as a group ref unless it names a kind, lower-cased, namespace defaulted', () => {
    expect(ownerRefOf(entity('team-a'))).toBe('group:default/team-a');
    expect(ownerRefOf(entity('Ops/Team-A'))).toBe('group:ops/team-a');
    expect(ownerRefOf(entity('user:Jane'))).toBe('user:default/jane');
    expect(ownerRefOf(entity('group:ops/a:b'))).toBe('group:ops/a:b');
  });

  it('resolves a malformed or missing owner to nothing instead of a broken ref', () => {
    expect(ownerRefOf(entity('group:'))).toBeUndefined();
    expect(ownerRefOf(entity('group:ops/'))).toBeUndefined();
    expect(ownerRefOf(entity(''))).toBeUndefined();
    expect(ownerRefOf(entity(42))).toBeUndefined();
  });
});
