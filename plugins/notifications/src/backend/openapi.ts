import type { OpenApiFragment } from '@atrium/backend-plugin-api';
import { listQuerySchema, notificationSchema } from './schemas.js';

const json = (schema: unknown) => ({ 'application/json': { schema } });
const queryParams = Object.entries((listQuerySchema as { properties: Record<string, unknown> }).properties).map(([name, schema]) => ({ name, in: 'query', schema }));
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];

export const notificationsOpenApi: OpenApiFragment = {
  tags: [{ name: 'notifications', description: 'In-app notifications from every plugin, for the caller' }],
  paths: {
    '/': {
      get: {
        tags: ['notifications'],
        summary: "The caller's notifications (its ownership refs, plus broadcasts), newest first",
        parameters: queryParams,
        responses: {
          '200': {
            description: 'A page of notifications',
            content: json({ type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Notification' } }, totalCount: { type: 'integer' }, unreadCount: { type: 'integer' } } }),
          },
        },
      },
    },
    '/unread-count': {
      get: { tags: ['notifications'], summary: "How many of the caller's notifications are unread (the bell)", responses: { '200': { description: 'Count', content: json({ type: 'object', properties: { count: { type: 'integer' } } }) } } },
    },
    '/{id}/read': {
      post: { tags: ['notifications'], summary: 'Mark one of the caller\'s notifications read', parameters: idParam, responses: { '204': { description: 'Marked' }, '404': { description: 'Not one of the caller\'s' } } },
    },
    '/read-all': {
      post: { tags: ['notifications'], summary: "Mark all the caller's notifications read", responses: { '200': { description: 'How many were marked', content: json({ type: 'object', properties: { updated: { type: 'integer' } } }) } } },
    },
  },
  components: { schemas: { Notification: notificationSchema } },
};
