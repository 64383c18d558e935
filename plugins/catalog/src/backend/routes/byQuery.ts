import { defineRoute } from '@atrium/backend-plugin-api';
import type { Response } from 'express';
import { entityQueryFromBody, entityQueryFromParams } from '../query/entityQueryRequest.js';
import { parseFields } from '../query/fields.js';
import { queryEntityPage, type EntityPage } from '../query/queryEntities.js';
import type { CatalogContext } from '../catalogContext.js';
import { entityListJson, sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, READ_ENTITIES, type CatalogRouteServices } from './services.js';

type QueryParams = Parameters<typeof entityQueryFromParams>[0] & { fields?: string | string[] };
type QueryBody = Parameters<typeof entityQueryFromBody>[0] & { fields?: string[] };

/** Totals come from the aggregates cache (one count per filter and catalog generation). */
const countOf = (ctx: CatalogContext): Parameters<typeof queryEntityPage>[2] => (filter, fullText) => ctx.aggregates.count(filter, fullText);

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
  handler: async ({ query, res }, ctx) => {
    const page = await queryEntityPage(ctx.db, entityQueryFromParams(query), countOf(ctx));
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
  handler: async ({ body, res }, ctx) => {
    const page = await queryEntityPage(ctx.db, entityQueryFromBody(body), countOf(ctx));
    sendPage(res, page, parseFields(body.fields));
  },
});
