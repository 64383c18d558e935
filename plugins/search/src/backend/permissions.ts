import { definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

export const SEARCH_PERMISSIONS = {
  query: 'search.query.read',
  status: 'search.status.read',
  rebuild: 'search.index.rebuild',
} as const;

/** The permissions the search routes check. Results are further limited by `catalog.entity.read`. */
export const searchPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: SEARCH_PERMISSIONS.query, action: 'read', description: 'Search the portal (results limited to the entities the caller may read).' }),
  definePermission({ name: SEARCH_PERMISSIONS.status, action: 'read', description: 'See the search index state and document counts.' }),
  definePermission({ name: SEARCH_PERMISSIONS.rebuild, action: 'update', description: 'Rebuild the search index (admin).' }),
];
