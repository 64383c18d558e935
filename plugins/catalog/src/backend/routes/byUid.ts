import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import { sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, READ_ENTITIES, type CatalogRouteServices } from './services.js';

/** GET /entities/by-uid/:uid */
export const getEntityByUid = defineRoute<CatalogRouteServices, { uid: string }>({
  method: 'get',
  path: '/entities/by-uid/:uid',
  params: schemas.uidParams,
  // The check names the entity, so a policy treats it as it treats the by-name route.
  permission: { name: READ_ENTITIES, resourceRef: async ({ params }, { lookup }) => (await lookup.byUid(params.uid))?.entity_ref },
  summary: 'Entity by uid',
  response: { description: 'Entity', schema: componentRef('Entity') },
  responses: notFoundReply('No such entity'),
  handler: async ({ params, res }, { lookup }) => {
    const text = await lookup.finalTextByUid(params.uid);
    if (!text) throw new NotFoundError(`No entity with uid ${params.uid}`);
    sendJsonText(res, 200, text);
  },
});

/**
 * DELETE /entities/by-uid/:uid: removes the entity (204 also when there is none, as in Backstage).
 * Its location yields it again on the next read unless the source changed.
 */
export const deleteEntityByUid = defineRoute<CatalogRouteServices, { uid: string }>({
  method: 'delete',
  path: '/entities/by-uid/:uid',
  params: schemas.uidParams,
  permission: {
    name: 'catalog.entity.delete',
    resourceRef: async ({ params }, { lookup }) => (await lookup.byUid(params.uid))?.entity_ref,
  },
  summary: 'Remove an entity (it comes back if its location still yields it)',
  response: { status: 204, description: 'Removed (or there was no such entity)' },
  handler: async ({ params, caller, res }, ctx) => {
    const record = await ctx.lookup.byUid(params.uid);
    if (record) {
      const removed = await ctx.writer.remove([record.id]);
      // Let the owning location yield it again on its next read, as in Backstage.
      if (record.location_id) await ctx.db('locations').where({ id: record.location_id }).update({ content_hash: null });
      await ctx.events.removed(removed);
      await ctx.processor.stitch({ settle: true });
      ctx.audit.record({ actor: caller, action: 'catalog.entity.delete', target: record.entity_ref, status: 'succeeded' });
    }
    res.status(204).end();
  },
});
