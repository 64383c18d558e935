import { definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';
import { AUTOMATION_PERMISSIONS } from '../common/index.js';

export const automationsPermissions: readonly PermissionDefinition[] = [
  definePermission({
    name: AUTOMATION_PERMISSIONS.read,
    action: 'read',
    description: 'See automations, their runs and deliveries (requests and responses included).',
  }),
  definePermission({ name: AUTOMATION_PERMISSIONS.update, action: 'update', description: 'Pause and resume automations.' }),
  definePermission({ name: AUTOMATION_PERMISSIONS.test, action: 'read', description: 'Dry-run an automation against an event (nothing is sent).' }),
  definePermission({ name: AUTOMATION_PERMISSIONS.redeliver, action: 'update', description: 'Send a delivery again.' }),
];
