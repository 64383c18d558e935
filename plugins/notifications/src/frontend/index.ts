export { notificationsPlugin } from './plugin';
export { NotificationsBell } from './NotificationsBell';
export { useUnreadNotificationsCount, useNotificationList, useNotificationActions, type NotificationFilters } from './api';
