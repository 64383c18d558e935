import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import { NOTIFICATION_PERMISSIONS } from '../permissions.js';
import { idParamsSchema } from '../schemas.js';
import { ownRefs, readerOf, type NotificationRouteServices } from './services.js';

/** POST /read-all : every one of the caller's notifications read (audited with how many, in the same transaction). */
export const markAllRead = defineRoute<NotificationRouteServices>({
  method: 'post',
  path: '/read-all',
  permission: NOTIFICATION_PERMISSIONS.update,
  summary: "Mark all the caller's notifications read",
  response: { description: 'How many were marked', schema: { type: 'object', properties: { updated: { type: 'integer' } } } },
  handler: async ({ caller }, { service, audit }) => {
    // The audit record is written in the change's transaction: both or neither.
    const updated = await service.markAllRead(ownRefs(caller), {
      reader: readerOf(caller),
      inTransaction: async (trx, n) => {
        await audit.record({ actor: caller, action: 'notifications.read-all', meta: { updated: n } }, { trx });
      },
    });
    return { updated };
  },
});

/** POST /:id/read : one of the caller's notifications read (audited in the same transaction); 404 when it is not theirs. */
export const markRead = defineRoute<NotificationRouteServices, { id: string }>({
  method: 'post',
  path: '/:id/read',
  params: idParamsSchema,
  permission: NOTIFICATION_PERMISSIONS.update,
  summary: "Mark one of the caller's notifications read",
  response: { status: 204, description: 'Marked' },
  responses: { '404': { description: "Not one of the caller's" } },
  handler: async ({ params, caller, res }, { service, audit }) => {
    // The audit record is written in the change's transaction: both or neither.
    const found = await service.markRead(params.id, ownRefs(caller), {
      reader: readerOf(caller),
      inTransaction: async (trx) => {
        await audit.record({ actor: caller, action: 'notifications.read', target: params.id }, { trx });
      },
    });
    if (!found) throw new NotFoundError(`No notification "${params.id}" for ${caller.userEntityRef}`);
    res.status(204).end();
  },
});
