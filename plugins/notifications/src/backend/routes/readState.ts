import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import { NOTIFICATION_PERMISSIONS } from '../permissions.js';
import { idParamsSchema } from '../schemas.js';
import { ownRefs, readerOf, type NotificationRouteServices } from './services.js';

/** POST /read-all : every one of the caller's notifications read (audited with how many). */
export const markAllRead = defineRoute<NotificationRouteServices>({
  method: 'post',
  path: '/read-all',
  permission: NOTIFICATION_PERMISSIONS.update,
  summary: "Mark all the caller's notifications read",
  response: { description: 'How many were marked', schema: { type: 'object', properties: { updated: { type: 'integer' } } } },
  handler: async ({ caller }, { service, audit }) => {
    const updated = await service.markAllRead(ownRefs(caller), { reader: readerOf(caller) });
    audit.record({ actor: caller, action: 'notifications.read-all', meta: { updated } });
    return { updated };
  },
});

/** POST /:id/read : one of the caller's notifications read; 404 when it is not theirs. */
export const markRead = defineRoute<NotificationRouteServices, { id: string }>({
  method: 'post',
  path: '/:id/read',
  params: idParamsSchema,
  permission: NOTIFICATION_PERMISSIONS.update,
  summary: "Mark one of the caller's notifications read",
  response: { status: 204, description: 'Marked' },
  responses: { '404': { description: "Not one of the caller's" } },
  handler: async ({ params, caller, res }, { service, audit }) => {
    if (!(await service.markRead(params.id, ownRefs(caller), { reader: readerOf(caller) })))
      throw new NotFoundError(`No notification "${params.id}" for ${caller.userEntityRef}`);
    audit.record({ actor: caller, action: 'notifications.read', target: params.id });
    res.status(204).end();
  },
});
