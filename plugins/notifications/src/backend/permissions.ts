import { CATALOG_ENTITY_RESOURCE, definePermission, type PermissionDefinition } from '@atrium/backend-plugin-api';

/** Permissions the routes check (the policy decides; without one, everything is allowed). */
export const NOTIFICATION_PERMISSIONS = {
  read: 'notifications.notification.read',
  readOthers: 'notifications.notification.read-others',
  update: 'notifications.notification.update',
  create: 'notifications.notification.create',
} as const;

/** The permissions the notifications routes check. */
export const notificationsPermissions: readonly PermissionDefinition[] = [
  definePermission({ name: NOTIFICATION_PERMISSIONS.read, action: 'read', description: 'Read your own notifications (and your groups’ and broadcasts).' }),
  definePermission({
    name: NOTIFICATION_PERMISSIONS.readOthers,
    action: 'read',
    resourceType: CATALOG_ENTITY_RESOURCE,
    description: 'Read the notifications of another user or group (a team page).',
  }),
  definePermission({
    name: NOTIFICATION_PERMISSIONS.update,
    action: 'update',
    description: 'Mark your notifications read; save your notification preferences.',
  }),
  definePermission({
    name: NOTIFICATION_PERMISSIONS.create,
    action: 'create',
    description: 'Send a notification over the API (POST /api/notifications) to users, groups or everyone.',
  }),
];
