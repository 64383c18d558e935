import type { RouteDefinition } from '@atrium/backend-plugin-api';
import { listNotifications, unreadCount } from './list.js';
import { markAllRead, markRead } from './readState.js';
import type { NotificationRouteServices } from './services.js';

export type { NotificationRouteServices };

/** Every notifications route, in mount order: the plugin definition lists them (OpenAPI) and setup() mounts them. */
export const notificationsRoutes: RouteDefinition<NotificationRouteServices>[] = [listNotifications, unreadCount, markAllRead, markRead];
