import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { Request } from 'express';
import { allOf } from '../filters/filterNode.js';
import { parseFilterParams } from '../filters/parseFilter.js';
import { parseOrderParams } from '../query/cursor.js';
import { parseFields } from '../query/fields.js';
import { listEntityRows } from '../query/queryEntities.js';
import { entityListJson, sendJsonText } from './respond.js';
import * as schemas from './schemas.js';
import { componentRef, READ_ENTITIES, type CatalogRouteServices } from './services.js';
import { visibility } from './visibility.js';

const STREAM_CHUNK = 2000;

interface ListQuery {
  filter?: string | string[];
  fields?: string | string[];
  order?: string | string[];
  offset?: number;
  limit?: number;
  after?: string;
}

/**
 * GET /entities: Backstage's plain list. Without offset/limit/after the whole (filtered) catalog
 * is streamed in chunks, so a 100k catalog never sits in memory twice; with them, one page and a
 * `link: <...>; rel="next"` header.
 */
export const listEntities = defineRoute<CatalogRouteServices, Record<string, string>, ListQuery>({
  method: 'get',
  path: '/entities',
  query: schemas.getEntitiesQuery,
  permission: READ_ENTITIES,
  summary: 'List entities (optionally filtered, ordered, paged by offset)',
  response: { description: 'Entities', schema: { type: 'array', items: componentRef('Entity') } },
  handler: async ({ query: q, caller, req, res }, { db, permissions }) => {
    // The request's filter AND what the caller may read (nothing added without a policy).
    const filter = allOf([parseFilterParams(q.filter), await visibility(permissions, caller)]);
    const fields = parseFields(q.fields);
    const order = parseOrderParams(q.order);
    let { offset, limit } = q;
    if (q.after !== undefined) ({ offset, limit } = decodeAfter(q.after, limit));
    if (offset === undefined && limit === undefined) {
      res.status(200).type('application/json');
      res.write('[');
      let first = true;
      let afterRef: string | undefined;
      for (let chunkOffset = 0; ; chunkOffset += STREAM_CHUNK) {
        const texts = await listEntityRows(db, {
          ...(filter ? { filter } : {}),
          order,
          offset: order.length ? chunkOffset : 0,
          limit: STREAM_CHUNK,
          ...(order.length === 0 && afterRef !== undefined ? { afterRef } : {}),
        });
        if (texts.length > 0) {
          const body = entityListJson(texts, fields).slice(1, -1);
          res.write(`${first ? '' : ','}${body}`);
          first = false;
        }
        if (texts.length < STREAM_CHUNK) break;
        const last = texts[texts.length - 1];
        if (order.length === 0 && last !== undefined) afterRef = refOfText(last);
      }
      res.end(']');
      return;
    }
    const from = offset ?? 0;
    const take = limit ?? Number.MAX_SAFE_INTEGER;
    const texts = await listEntityRows(db, { ...(filter ? { filter } : {}), order, offset: from, limit: Math.min(take, 1_000_000) + 1 });
    if (texts.length > take) {
      texts.length = take;
      res.setHeader('link', `<${nextLink(req, { limit: take, offset: from + take })}>; rel="next"`);
    }
    sendJsonText(res, 200, entityListJson(texts, fields));
  },
});

function decodeAfter(after: string, limit: number | undefined): { offset: number; limit: number | undefined } {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64').toString('utf8')) as { offset?: unknown; limit?: unknown };
    if (
      typeof v.offset === 'number' &&
      v.offset >= 0 &&
      Number.isInteger(v.offset) &&
      (v.limit === undefined || (typeof v.limit === 'number' && v.limit >= 0))
    ) {
      return { offset: v.offset, limit: limit ?? (v.limit as number | undefined) };
    }
  } catch {
    /* fall through */
  }
  throw new InputError('Malformed after cursor: use the link from the previous page');
}

function nextLink(req: Request, after: { limit: number; offset: number }): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key === 'offset' || key === 'after' || key === 'limit') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  params.set('after', Buffer.from(JSON.stringify(after)).toString('base64'));
  return `${req.baseUrl}/entities?${params.toString()}`;
}

function refOfText(text: string): string {
  const e = JSON.parse(text) as { kind: string; metadata: { namespace?: string; name: string } };
  return stringifyEntityRef({ kind: e.kind, namespace: e.metadata.namespace ?? 'default', name: e.metadata.name });
}
