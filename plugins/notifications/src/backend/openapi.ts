import type { OpenApiFragment } from '@atrium/backend-plugin-api';
import { notificationSchema, preferencesSchema } from './schemas.js';

/** The tag and named schemas; the operations come from the declared routes (routes/). */
export const notificationsOpenApi: OpenApiFragment = {
  tags: [{ name: 'notifications', description: 'In-app notifications from every plugin, for the caller' }],
  components: { schemas: { Notification: notificationSchema, NotificationPreferences: preferencesSchema } },
};
