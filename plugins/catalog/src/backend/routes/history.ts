import { defineRoute, ServiceUnavailableError } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { EntityFieldChange, EntityHistoryItem, EntityHistoryPage, EntityLogMeta } from '../../common/entityHistory.js';
import { notFound } from '../query/entityLookup.js';
import * as schemas from './schemas.js';
import { notFoundReply, READ_ENTITIES, type CatalogRouteServices, type EntityNameParams } from './services.js';
import { assertReadable } from './visibility.js';

interface HistoryQuery {
  before?: string;
  limit?: number;
}

/**
 * GET /entities/by-name/:kind/:namespace/:name/history: what happened to an entity, newest
 * first, from the event log (created with its source, each update's changed fields, orphaned,
 * deleted). Like the entity itself: one the caller may not read is a 404.
 */
export const getEntityHistory = defineRoute<CatalogRouteServices, EntityNameParams, HistoryQuery>({
  method: 'get',
  path: '/entities/by-name/:kind/:namespace/:name/history',
  params: schemas.entityNameParams,
  query: {
    type: 'object',
    properties: {
      before: { type: 'string', pattern: '^[1-9][0-9]{0,18}$', description: 'nextCursor of the previous page' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
    },
    additionalProperties: false,
  },
  permission: READ_ENTITIES,
  summary: "An entity's change history, newest first (cursor paging)",
  response: {
    description: 'History entries and the cursor of older ones',
    schema: {
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              topic: { type: 'string' },
              createdAt: { type: 'string', format: 'date-time' },
              actor: { type: ['string', 'null'] },
              meta: { type: ['object', 'null'] },
              changes: { type: 'array', items: { type: 'object' } },
            },
          },
        },
        nextCursor: { type: 'string' },
      },
    },
  },
  responses: notFoundReply('No such entity'),
  handler: async ({ params: { kind, namespace, name }, query, caller }, { lookup, permissions, eventLog }): Promise<EntityHistoryPage> => {
    const ref = stringifyEntityRef({ kind, namespace, name });
    await assertReadable(permissions, caller, ref, await lookup.finalTextByRef(ref), () => notFound(kind, namespace, name));
    if (!eventLog) throw new ServiceUnavailableError('the event log is not available');
    const limit = query.limit ?? 25;
    const page = await eventLog.read({ entityRef: ref, newestFirst: true, limit, ...(query.before ? { before: query.before } : {}) });
    const items = page.events.map((e): EntityHistoryItem => {
      const payload = e.payload as { changes?: EntityFieldChange[] } | null;
      return {
        id: e.id,
        topic: e.topic,
        createdAt: e.createdAt,
        actor: e.actor,
        meta: (e.meta as EntityLogMeta | null) ?? null,
        ...(payload && Array.isArray(payload.changes) ? { changes: payload.changes } : {}),
      };
    });
    return { items, ...(page.next !== '0' ? { nextCursor: page.next } : {}) };
  },
});
