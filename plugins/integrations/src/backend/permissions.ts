import { definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

export const INTEGRATIONS_RESOURCE = 'integration';

/** Permissions the integrations routes check. */
export const INTEGRATION_PERMISSIONS = {
  read: 'integrations.integration.read',
  create: 'integrations.integration.create',
  update: 'integrations.integration.update',
  delete: 'integrations.integration.delete',
  test: 'integrations.integration.test',
  preview: 'integrations.discovery.preview',
} as const;

export const integrationsPermissions: readonly PermissionDefinition[] = [
  definePermission({
    name: INTEGRATION_PERMISSIONS.read,
    action: 'read',
    resourceType: INTEGRATIONS_RESOURCE,
    description: 'List integrations and what their discovery found (never their secrets).',
  }),
  definePermission({
    name: INTEGRATION_PERMISSIONS.create,
    action: 'create',
    resourceType: INTEGRATIONS_RESOURCE,
    description: 'Add a source-control integration with its credentials.',
  }),
  definePermission({
    name: INTEGRATION_PERMISSIONS.update,
    action: 'update',
    resourceType: INTEGRATIONS_RESOURCE,
    description: 'Change an integration or start its discovery now.',
  }),
  definePermission({
    name: INTEGRATION_PERMISSIONS.delete,
    action: 'delete',
    resourceType: INTEGRATIONS_RESOURCE,
    description: 'Remove an integration (and the entities its discovery brought).',
  }),
  definePermission({
    name: INTEGRATION_PERMISSIONS.test,
    action: 'read',
    resourceType: INTEGRATIONS_RESOURCE,
    description: 'Test an integration’s connection and credentials.',
  }),
  definePermission({
    name: INTEGRATION_PERMISSIONS.preview,
    action: 'read',
    resourceType: INTEGRATIONS_RESOURCE,
    description: 'Preview the Components discovery would generate for repositories without a descriptor.',
  }),
];
