import { defineRoute } from '@atrium/backend-plugin-api';
import type { SendNotificationRequest } from '../../common/index.js';
import { NOTIFICATION_PERMISSIONS } from '../permissions.js';
import { sendBodySchema } from '../schemas.js';
import type { NotificationRouteServices } from './services.js';

/** POST / : sends a notification over HTTP (a script, CI, another system); `source` defaults to `api`. */
export const sendNotification = defineRoute<NotificationRouteServices, Record<string, string>, Record<string, never>, SendNotificationRequest>({
  method: 'post',
  path: '/',
  body: sendBodySchema,
  permission: NOTIFICATION_PERMISSIONS.create,
  summary: 'Send a notification to users, groups or everyone (broadcast)',
  response: {
    status: 201,
    description: 'One notification per recipient',
    schema: { type: 'object', properties: { notifications: { type: 'array', items: { $ref: '#/components/schemas/Notification' } } } },
  },
  handler: async ({ body, caller, res }, { service, audit }) => {
    const result = await service.send(body);
    await audit.record({
      actor: caller,
      action: 'notifications.send',
      target: result.notifications
        .map((n) => n.id)
        .join(',')
        .slice(0, 500),
      meta: { source: body.source, topic: body.topic, recipients: body.recipients === 'broadcast' ? 'broadcast' : body.recipients.length },
    });
    res.status(201);
    return result;
  },
});
