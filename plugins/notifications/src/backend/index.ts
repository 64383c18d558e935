export { notificationsPlugin } from './plugin.js';
export { notificationsServiceRef } from './notificationsService.js';
export { NOTIFICATION_PERMISSIONS } from './routes.js';
export * from '../common/index.js';
