import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';
import { NOTIFICATION_PERMISSIONS } from './routes.js';

/** The permissions the notifications routes check. */
export const notificationsPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: NOTIFICATION_PERMISSIONS.read, action: 'read', description: 'Read your own notifications (and your groups’ and broadcasts).' }),
  definePermission({ name: NOTIFICATION_PERMISSIONS.readOthers, action: 'read', resourceType: CATALOG_ENTITY_RESOURCE, description: 'Read the notifications of another user or group (a team page).' }),
  definePermission({ name: NOTIFICATION_PERMISSIONS.update, action: 'update', description: 'Mark your notifications read.' }),
];
