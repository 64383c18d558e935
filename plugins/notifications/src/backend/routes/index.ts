import type { RouteDefinition } from '@atrium/backend-plugin-api';
import { listNotifications, unreadCount } from './list.js';
import { getPreferences, putPreferences } from './preferences.js';
import { markAllRead, markRead } from './readState.js';
import { sendNotification } from './send.js';
import type { NotificationRouteServices } from './services.js';
import { notificationStream } from './stream.js';

export type { NotificationRouteServices };

/** Every notifications route, in mount order: the plugin definition lists them (OpenAPI) and setup() mounts them. */
export const notificationsRoutes: RouteDefinition<NotificationRouteServices>[] = [
  listNotifications,
  sendNotification,
  unreadCount,
  notificationStream,
  getPreferences,
  putPreferences,
  markAllRead,
  markRead,
];
