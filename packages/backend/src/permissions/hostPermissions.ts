import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

/** The permissions the host's own endpoints check (`/api/auth`, `/api/permissions`). */
export const hostPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: 'auth.session.read', action: 'read', description: 'List your own sign-in sessions.' }),
  definePermission({
    name: 'auth.session.delete',
    action: 'delete',
    resourceType: 'auth-session',
    description: 'Sign out one of your sessions, or all of them.',
  }),
  definePermission({ name: 'auth.token.read', action: 'read', description: 'List your API tokens.' }),
  definePermission({
    name: 'auth.token.create',
    action: 'create',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Create an API token (for yourself, or a service token owned by a group you name).',
  }),
  definePermission({ name: 'auth.token.delete', action: 'delete', resourceType: 'auth-token', description: 'Revoke an API token.' }),
  definePermission({
    name: 'auth.scim',
    action: 'update',
    description:
      'Provision users and groups through SCIM (/api/auth/scim/v2); only a service token with this scope. Its entities confer group membership: grant it to the identity administrators only.',
  }),
  definePermission({ name: 'permission.catalogue.read', action: 'read', description: 'List every permission the installed plugins check.' }),
  definePermission({
    name: 'permission.explain',
    action: 'read',
    description: 'Ask what another user may do and which policy rule decides it (administrators).',
  }),
];
