import { CATALOG_ENTITY_RESOURCE, definePermission, type Caller } from '@atrium/backend-plugin-api';
import { PermissionCatalogue } from './catalogue.js';

/** A small catalogue for unit tests: entity permissions, a location permission and a plain one. */
export const testCatalogue = new PermissionCatalogue(
  [
    definePermission({ name: 'catalog.entity.read', action: 'read', resourceType: CATALOG_ENTITY_RESOURCE, description: 'Read entities.' }),
    definePermission({ name: 'catalog.entity.delete', action: 'delete', resourceType: CATALOG_ENTITY_RESOURCE, description: 'Unregister entities.' }),
    definePermission({ name: 'catalog.location.create', action: 'create', description: 'Register locations.' }),
    definePermission({ name: 'system.info.read', action: 'read', description: 'Read host info.' }),
  ].map((p) => ({ ...p, declaredBy: p.name.split('.')[0]! })),
);

export function user(name: string, groups: string[] = []): Caller {
  const ref = `user:default/${name}`;
  return { type: 'user', userEntityRef: ref, ownershipEntityRefs: [ref, ...groups.map((g) => `group:default/${g}`)], displayName: name };
}

export const guest: Caller = { type: 'guest', userEntityRef: 'user:default/guest', ownershipEntityRefs: ['user:default/guest'], displayName: 'Guest' };
