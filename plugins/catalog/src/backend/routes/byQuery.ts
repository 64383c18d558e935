import { defineRoute } from '@atrium/backend-plugin-api';
import type { Response } from 'express';
import { entityQueryFromBody, entityQueryFromParams } from '../query/entityQueryRequest.js';
import { parseFields } from '../query/fields.js';
import { queryEntityPage, type EntityPage, type EntityQuery } from '../query/queryEntities.js';
import { allOf } from '../filters/filterNode.js';
import { fullTextCondition } from '../filters/fullText.js';
import type { CatalogContext } from '../catalogContext.js';
import { entityListJson, sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, READ_ENTITIES, type CatalogRouteServices } from './services.js';
import { visibility } from './visibility.js';

type QueryParams = Parameters<typeof entityQueryFromParams>[0] & { fields?: string | string[] };
type QueryBody = Parameters<typeof entityQueryFromBody>[0] & { fields?: string[] };

/** Totals come from the aggregates cache (one count per filter and catalog generation). */
const countOf =
  (ctx: CatalogContext): Parameters<typeof queryEntityPage>[2] =>
  (filter, fullText) =>
    ctx.aggregates.count(filter, fullText);

/**
 * The request's query restricted to what the caller may read. The caller's filter is ANDed in
 * here, per request, after the cursor is decoded: it is never written into `filterSource` or a
 * cursor. A cursor page's total is recounted under this caller's filter (a cached count), so a
 * cursor handed on does not carry its first caller's total.
 */
async function forCaller(q: EntityQuery, caller: Parameters<typeof visibility>[1], ctx: CatalogRouteServices): Promise<EntityQuery> {
  const visible = await visibility(ctx.permissions, caller);
  if (!visible) return q;
  const filter = allOf([q.filter, visible]);
  const restricted: EntityQuery = { ...q, ...(filter ? { filter } : {}) };
  if (q.cursor?.totalItems !== undefined) {
    const totalItems = await ctx.aggregates.count(filter, fullTextCondition(q.fullText?.term, q.fullText?.fields));
    restricted.cursor = { ...q.cursor, totalItems };
  }
  return restricted;
}

/** The page as JSON text, the items spliced in from stored entity JSON without parsing it. */
function sendPage(res: Response, page: EntityPage, fields: string[] | undefined): void {
  const body = `{"items":${entityListJson(page.items, fields)}${page.totalItems !== undefined ? `,"totalItems":${page.totalItems}` : ''},"pageInfo":${JSON.stringify(page.pageInfo)}}`;
  sendJsonText(res, 200, body);
}

/** GET /entities/by-query: cursor-paged entities, filters in Backstage's query-string form. */
export const queryEntities = defineRoute<CatalogRouteServices, Record<string, string>, QueryParams>({
  method: 'get',
  path: '/entities/by-query',
  query: schemas.queryEntitiesQuery,
  permission: READ_ENTITIES,
  summary: 'Cursor-paginated entity query',
  response: { description: 'A page', schema: componentRef('QueryResponse') },
  handler: async ({ query, caller, res }, ctx) => {
    const page = await queryEntityPage(ctx.db, await forCaller(entityQueryFromParams(query), caller, ctx), countOf(ctx));
    sendPage(res, page, parseFields(query.fields));
  },
});

/** POST /entities/by-query: the same with a filter predicate ({ $all, $any, $not, $in, ... }) in the body. */
export const queryEntitiesByPredicate = defineRoute<CatalogRouteServices, Record<string, string>, Record<string, unknown>, QueryBody>({
  method: 'post',
  path: '/entities/by-query',
  body: schemas.queryEntitiesBody,
  permission: READ_ENTITIES,
  summary: 'Cursor-paginated entity query with a filter predicate',
  response: { description: 'A page', schema: componentRef('QueryResponse') },
  handler: async ({ body, caller, res }, ctx) => {
    const page = await queryEntityPage(ctx.db, await forCaller(entityQueryFromBody(body), caller, ctx), countOf(ctx));
    sendPage(res, page, parseFields(body.fields));
  },
});
