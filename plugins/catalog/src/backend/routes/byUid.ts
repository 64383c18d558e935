import { withStitchScope } from '../store/stitchScope.js';
import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import { sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, READ_ENTITIES, type CatalogRouteServices } from './services.js';
import { assertReadable } from './visibility.js';

/** GET /entities/by-uid/:uid: an entity the caller may not read is a 404, like a missing one. */
export const getEntityByUid = defineRoute<CatalogRouteServices, { uid: string }>({
  method: 'get',
  path: '/entities/by-uid/:uid',
  params: schemas.uidParams,
  // As by-name: an entry check without a target, then the entity itself (404 when hidden).
  permission: READ_ENTITIES,
  summary: 'Entity by uid',
  response: { description: 'Entity', schema: componentRef('Entity') },
  responses: notFoundReply('No such entity'),
  handler: async ({ params, caller, res }, { lookup, permissions }) => {
    const missing = () => new NotFoundError(`No entity with uid ${params.uid}`);
    const record = await lookup.byUid(params.uid);
    if (!record?.final) throw missing();
    await assertReadable(permissions, caller, record.entity_ref, record.final, missing);
    // The stored text as it is (the record's parsed copy was only for the decision).
    const text = await lookup.finalTextByUid(params.uid);
    if (!text) throw missing();
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
      await withStitchScope(async (scope) => {
        const removed = await ctx.writer.remove([record.id], undefined, caller.userEntityRef);
        // Let the owning location yield it again on its next read, as in Backstage.
        if (record.location_id) await ctx.db('locations').where({ id: record.location_id }).update({ content_hash: null });
        await ctx.events.removed(removed);
        await ctx.processor.stitch({ settle: true, scope });
      });
      ctx.audit.record({ actor: caller, action: 'catalog.entity.delete', target: record.entity_ref, status: 'succeeded' });
    }
    res.status(204).end();
  },
});
