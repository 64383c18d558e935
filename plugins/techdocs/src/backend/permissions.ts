import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

/** The permissions TechDocs declares (its pages are read under the catalog's `catalog.entity.read`). */
export const techdocsPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: 'techdocs.build', action: 'update', resourceType: CATALOG_ENTITY_RESOURCE, description: "Rebuild an entity's documentation now." }),
];
