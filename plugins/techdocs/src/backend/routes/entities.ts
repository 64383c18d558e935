import { defineRoute } from '@atrium/backend-plugin-api';
import type { DocsEntityList, DocsOwnerList, EntityTriplet } from '../../common/index.js';
import { detailOf, summaryOf } from '../builds/docsEntities.js';
import {
  componentRef,
  cursorQuery,
  decodeCursor,
  encodeCursor,
  entityRefOf,
  noDocs,
  notFound,
  readableDocsRefs,
  readEntity,
  tripletParams,
  type TechdocsRouteServices,
} from './shared.js';

interface ListQuery {
  q?: string;
  owner?: string;
  limit: number;
  cursor?: string;
}

/** GET /entities: documented entities with their build status (the docs home). */
export const listDocsEntities = defineRoute<TechdocsRouteServices, Record<string, string>, ListQuery>({
  method: 'get',
  path: '/entities',
  query: {
    type: 'object',
    additionalProperties: false,
    properties: {
      q: { type: 'string', maxLength: 200, description: 'Matches title, name or site name' },
      owner: { type: 'string', maxLength: 300 },
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      cursor: cursorQuery,
    },
  },
  permission: 'catalog.entity.read',
  summary: 'Documented entities with their build status (docs home); only those the caller may read',
  response: { description: 'A page of documented entities', schema: componentRef('DocsEntityList') },
  handler: async ({ query: q, caller }, services): Promise<DocsEntityList> => {
    const offset = decodeCursor(q.cursor);
    const visible = await readableDocsRefs(services, caller);
    const { rows, total } = await services.entities.list({
      ...(q.q ? { term: q.q.trim() } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
      limit: q.limit,
      offset,
      ...(visible ? { visible } : {}),
    });
    return {
      items: rows.map(summaryOf),
      totalItems: total,
      pageInfo: offset + rows.length < total ? { nextCursor: encodeCursor(offset + rows.length) } : {},
    };
  },
});

/** GET /owners: owners of documented entities, with counts. */
export const listDocsOwners = defineRoute<TechdocsRouteServices>({
  method: 'get',
  path: '/owners',
  permission: 'catalog.entity.read',
  summary: 'Owners of documented entities, with counts (of the entities the caller may read)',
  response: { description: 'Owners' },
  handler: async ({ caller }, services): Promise<DocsOwnerList> => ({ items: await services.entities.owners(await readableDocsRefs(services, caller)) }),
});

/** GET /entities/:namespace/:kind/:name: build status, time and log of one entity's docs. */
export const getDocsEntity = defineRoute<TechdocsRouteServices, EntityTriplet>({
  method: 'get',
  path: '/entities/:namespace/:kind/:name',
  params: tripletParams(),
  permission: readEntity,
  summary: "Build status, time and log of one entity's docs",
  response: { description: 'Build details', schema: componentRef('DocsEntityDetail') },
  responses: notFound,
  handler: async ({ params, res }, { entities }) => {
    const entityRef = entityRefOf(params);
    const row = await entities.get(entityRef);
    if (!row) throw noDocs(entityRef);
    res.setHeader('Cache-Control', 'no-store');
    return detailOf(row);
  },
});
