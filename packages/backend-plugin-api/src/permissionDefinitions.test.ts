import { describe, expect, it } from 'vitest';
import { definePermission } from './permissionDefinitions.js';

describe('definePermission', () => {
  it('accepts a dotted lower-case name and refuses malformed declarations', () => {
    expect(definePermission({ name: 'catalog.entity.read', action: 'read', resourceType: 'catalog-entity', description: 'Read.' }).name).toBe(
      'catalog.entity.read',
    );
    expect(() => definePermission({ name: 'Catalog.Read', action: 'read', description: 'x' })).toThrow(/Invalid permission name/);
    expect(() => definePermission({ name: 'catalog', action: 'read', description: 'x' })).toThrow(/Invalid permission name/);
    expect(() => definePermission({ name: 'a.b', action: 'run' as never, description: 'x' })).toThrow(/action must be one of/);
    expect(() => definePermission({ name: 'a.b', action: 'read', description: ' ' })).toThrow(/needs a description/);
  });
});
