import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

/** The permissions the catalog's routes check (its entry in the permission catalogue). */
export const catalogPermissions: readonly PermissionDefinition[] = [
  definePermission({
    name: 'catalog.entity.read',
    action: 'read',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Read catalog entities: lists, facets, by name, by ref, ancestors, the event stream.',
  }),
  definePermission({
    name: 'catalog.entity.delete',
    action: 'delete',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Unregister an entity (remove it from the catalog).',
  }),
  definePermission({
    name: 'catalog.entity.refresh',
    action: 'update',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Ask the catalog to re-read an entity from its source now.',
  }),
  definePermission({
    name: 'catalog.entity.annotate',
    action: 'update',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: "Set or clear annotations and labels in an entity's metadata overlay (keys its source sets stay the source's).",
  }),
  definePermission({ name: 'catalog.entity.validate', action: 'read', description: 'Validate an entity descriptor without storing it.' }),
  definePermission({
    name: 'catalog.location.read',
    action: 'read',
    resourceType: 'catalog-location',
    description: 'List registered locations and their status.',
  }),
  definePermission({
    name: 'catalog.location.create',
    action: 'create',
    resourceType: 'catalog-location',
    description: 'Register a location (or re-read one) so the catalog reads its entities.',
  }),
  definePermission({ name: 'catalog.location.analyze', action: 'read', description: 'Preview the entities a location would add, without registering it.' }),
  definePermission({
    name: 'catalog.location.delete',
    action: 'delete',
    resourceType: 'catalog-location',
    description: 'Unregister a location and the entities it brought.',
  }),
  definePermission({ name: 'catalog.provider.read', action: 'read', description: "Read entity providers' last mutations and errors." }),
];
