import { InputError, NotFoundError, validateInput } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { Request, Router } from 'express';
import type { CatalogContext } from '../catalogContext.js';
import { allOf } from '../filters/filterNode.js';
import { parseFilterParams } from '../filters/parseFilter.js';
import { parsePredicate } from '../filters/parsePredicate.js';
import { parseOrderParams } from '../query/cursor.js';
import { notFound } from '../query/entityLookup.js';
import { entityQueryFromBody, entityQueryFromParams } from '../query/entityQueryRequest.js';
import { parseFields } from '../query/fields.js';
import { finalEntitiesByRefs, listEntityRows, queryEntityPage, type EntityPage } from '../query/queryEntities.js';
import { entityJson, entityListJson, sendJsonText } from './respond.js';
import * as schemas from './schemas.js';

const STREAM_CHUNK = 2000;

/** Entity reads and removal: /entities, /entities/by-query, /by-refs, /by-uid, /by-name. */
export function registerEntityRoutes(router: Router, ctx: CatalogContext): void {
  const { db, lookup } = ctx;

  router.get('/entities', async (req, res) => {
    const q = validateInput<{ filter?: string | string[]; fields?: string | string[]; order?: string | string[]; offset?: number; limit?: number; after?: string }>(
      schemas.getEntitiesQuery,
      { ...req.query },
      'query',
    );
    const filter = parseFilterParams(q.filter);
    const fields = parseFields(q.fields);
    const order = parseOrderParams(q.order);
    let { offset, limit } = q;
    if (q.after !== undefined) ({ offset, limit } = decodeAfter(q.after, limit));
    if (offset === undefined && limit === undefined) {
      // Everything: streamed in chunks so a 100k catalog never sits in memory twice.
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
        if (order.length === 0) afterRef = refOfText(texts[texts.length - 1]!);
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
  });

  const countCached: Parameters<typeof queryEntityPage>[2] = (filter, fullText) => ctx.aggregates.count(filter, fullText);

  const sendPage = (res: Parameters<Parameters<Router['get']>[1]>[1], page: EntityPage, fields: string[] | undefined) => {
    const body = `{"items":${entityListJson(page.items, fields)}${page.totalItems !== undefined ? `,"totalItems":${page.totalItems}` : ''},"pageInfo":${JSON.stringify(page.pageInfo)}}`;
    sendJsonText(res, 200, body);
  };

  router.get('/entities/by-query', async (req, res) => {
    const q = validateInput<Parameters<typeof entityQueryFromParams>[0] & { fields?: string | string[] }>(schemas.queryEntitiesQuery, { ...req.query }, 'query');
    const page = await queryEntityPage(db, entityQueryFromParams(q), countCached);
    sendPage(res, page, parseFields(q.fields));
  });

  router.post('/entities/by-query', async (req, res) => {
    const b = validateInput<Parameters<typeof entityQueryFromBody>[0] & { fields?: string[] }>(schemas.queryEntitiesBody, req.body ?? {}, 'body');
    const page = await queryEntityPage(db, entityQueryFromBody(b), countCached);
    sendPage(res, page, parseFields(b.fields));
  });

  router.post('/entities/by-refs', async (req, res) => {
    const b = validateInput<{ entityRefs: string[]; fields?: string[]; query?: object }>(schemas.byRefsBody, req.body, 'body');
    const q = validateInput<{ filter?: string | string[] }>(schemas.byRefsQuery, { ...req.query }, 'query');
    const filter = allOf([parseFilterParams(q.filter), b.query !== undefined ? parsePredicate(b.query) : undefined]);
    const refs = b.entityRefs.map(canonicalRefOrNull);
    const found = await finalEntitiesByRefs(db, [...new Set(refs.filter((r): r is string => r !== null))], filter);
    const fields = parseFields(b.fields);
    const items = refs.map((r) => {
      const text = r === null ? undefined : found.get(r);
      return text === undefined ? 'null' : entityJson(text, fields);
    });
    sendJsonText(res, 200, `{"items":[${items.join(',')}]}`);
  });

  router.get('/entities/by-uid/:uid', async (req, res) => {
    const text = await lookup.finalTextByUid(String(req.params.uid));
    if (!text) throw new NotFoundError(`No entity with uid ${req.params.uid}`);
    sendJsonText(res, 200, text);
  });

  router.delete('/entities/by-uid/:uid', async (req, res) => {
    const uid = String(req.params.uid);
    const caller = await ctx.auth.getCaller(req);
    const record = await lookup.byUid(uid);
    await ctx.permissions.assert(caller, { permission: 'catalog.entity.delete', ...(record ? { resourceRef: record.entity_ref } : {}) });
    if (record) {
      const removed = await ctx.writer.remove([record.id]);
      // Let the owning location yield it again on its next read, as in Backstage.
      if (record.location_id) await db('locations').where({ id: record.location_id }).update({ content_hash: null });
      await ctx.events.removed(removed);
      await ctx.processor.stitch({ settle: true });
      ctx.audit.record({ actor: caller, action: 'catalog.entity.delete', target: record.entity_ref, status: 'succeeded' });
    }
    res.status(204).end();
  });

  router.get('/entities/by-name/:kind/:namespace/:name', async (req, res) => {
    const { kind, namespace, name } = entityNameOf(req);
    const text = await lookup.finalTextByRef(stringifyEntityRef({ kind, namespace, name }));
    if (!text) throw notFound(kind, namespace, name);
    sendJsonText(res, 200, text);
  });

  router.get('/entities/by-name/:kind/:namespace/:name/ancestry', async (req, res) => {
    const { kind, namespace, name } = entityNameOf(req);
    res.json(await lookup.ancestry(kind, namespace, name));
  });
}

export function entityNameOf(req: Request): { kind: string; namespace: string; name: string } {
  return validateInput(schemas.entityNameParams, { ...req.params }, 'params');
}

/** Canonical form of a ref from a request, or null when it does not parse (answered as "not found"). */
function canonicalRefOrNull(ref: string): string | null {
  try {
    const parsed = parseEntityRef(ref);
    return stringifyEntityRef(parsed);
  } catch {
    return null;
  }
}

function decodeAfter(after: string, limit: number | undefined): { offset: number; limit: number | undefined } {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64').toString('utf8')) as { offset?: unknown; limit?: unknown };
    if (typeof v.offset === 'number' && v.offset >= 0 && Number.isInteger(v.offset) && (v.limit === undefined || (typeof v.limit === 'number' && v.limit >= 0))) {
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
