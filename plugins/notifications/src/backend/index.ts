export { notificationsPlugin } from './plugin.js';
export { notificationsServiceRef } from './notificationsService.js';
export { NOTIFICATION_PERMISSIONS } from './permissions.js';
export * from '../common/index.js';
