import { defineRoute } from '@atrium/backend-plugin-api';
import { NOTIFICATION_PERMISSIONS } from '../permissions.js';
import { listQuerySchema } from '../schemas.js';
import { canonicalRef, ownRefs, readerOf, type NotificationRouteServices } from './services.js';

interface ListQuery {
  unread: boolean;
  source?: string;
  entityRef?: string;
  recipient?: string;
  limit: number;
  offset: number;
}

/** GET / : the caller's notifications (its own refs and broadcasts), or one other recipient's. */
export const listNotifications = defineRoute<NotificationRouteServices, Record<string, string>, ListQuery>({
  method: 'get',
  path: '/',
  query: listQuerySchema,
  permission: NOTIFICATION_PERMISSIONS.read,
  summary: "The caller's notifications (its ownership refs, plus broadcasts), newest first",
  response: {
    description: 'A page of notifications',
    schema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/components/schemas/Notification' } },
        totalCount: { type: 'integer' },
        unreadCount: { type: 'integer' },
      },
    },
  },
  handler: async ({ query: q, caller }, { service, permissions }) => {
    let recipients = ownRefs(caller);
    if (q.recipient) {
      const ref = canonicalRef(q.recipient, 'recipient');
      // Someone else's (e.g. a team page for a team one is not in) is a separate permission.
      if (!recipients.includes(ref)) await permissions.assert(caller, { permission: NOTIFICATION_PERMISSIONS.readOthers, resourceRef: ref });
      recipients = [ref];
    }
    return service.list({
      recipients,
      reader: readerOf(caller),
      unread: q.unread,
      ...(q.source ? { source: q.source } : {}),
      ...(q.entityRef ? { entityRef: canonicalRef(q.entityRef, 'entityRef') } : {}),
      limit: q.limit,
      offset: q.offset,
    });
  },
});

/** GET /unread-count : the bell's number. */
export const unreadCount = defineRoute<NotificationRouteServices>({
  method: 'get',
  path: '/unread-count',
  permission: NOTIFICATION_PERMISSIONS.read,
  summary: "How many of the caller's notifications are unread (the bell)",
  response: { description: 'Count', schema: { type: 'object', properties: { count: { type: 'integer' } } } },
  handler: async ({ caller }, { service }) => ({ count: await service.unreadCount(ownRefs(caller), { reader: readerOf(caller) }) }),
});
