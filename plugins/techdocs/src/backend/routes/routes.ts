import type { Request, Response, Router } from 'express';
import { stringifyEntityRef } from '@atrium/catalog-model';
import {
  InputError,
  NotFoundError,
  validateInput,
  type AuditService,
  type AuthService,
  type JsonSchema,
  type PermissionsService,
} from '@atrium/backend-plugin-api';
import {
  normalizeRoute,
  type BuildRequestResponse,
  type DocsEntityList,
  type DocsOwnerList,
  type DocsSearchResponse,
  type EntityTriplet,
} from '../../common/index.js';
import { isInlineType } from '../build/contentTypes.js';
import { detailOf, statusOf, summaryOf, type DocsEntities } from '../builds/docsEntities.js';
import type { SearchIndex } from '../search/searchIndex.js';
import type { SiteStore, StoredDocument } from '../store/SiteStore.js';

export interface RouteContext {
  entities: DocsEntities;
  store: SiteStore;
  search: SearchIndex;
  auth: AuthService;
  permissions: PermissionsService;
  audit: AuditService;
  /** Called after a build was queued on this replica. */
  onQueued(): void;
}

const listQuerySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: { type: 'string', maxLength: 200 },
    owner: { type: 'string', maxLength: 300 },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', maxLength: 100 },
  },
};
const searchQuerySchema: JsonSchema = {
  type: 'object',
  required: ['term'],
  additionalProperties: false,
  properties: {
    term: { type: 'string', maxLength: 200 },
    entity: { type: 'string', maxLength: 300 },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', maxLength: 100 },
  },
};
const pageQuerySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { route: { type: 'string', maxLength: 1000, default: '' } },
};
const buildBodySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { force: { type: 'boolean', default: false } },
};
const tripletSchema: JsonSchema = {
  type: 'object',
  required: ['namespace', 'kind', 'name'],
  properties: {
    namespace: { type: 'string', minLength: 1, maxLength: 253 },
    kind: { type: 'string', minLength: 1, maxLength: 253 },
    name: { type: 'string', minLength: 1, maxLength: 253 },
  },
};

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}
function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const o = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new InputError('The cursor is invalid');
}

function tripletOf(req: Request): { triplet: EntityTriplet; entityRef: string } {
  const p = validateInput<EntityTriplet>(tripletSchema, { namespace: req.params['namespace'], kind: req.params['kind'], name: req.params['name'] }, 'params');
  return { triplet: p, entityRef: stringifyEntityRef(p) };
}

/** Sends a stored JSON document with an ETag; answers 304 when the client has it. */
function sendDocument(req: Request, res: Response, doc: StoredDocument): void {
  const etag = `"${doc.etag}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(doc.body);
}

export function registerRoutes(router: Router, ctx: RouteContext): void {
  const { entities, store, search, auth, permissions } = ctx;

  const assertRead = async (req: Request, resourceRef?: string) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'catalog.entity.read', ...(resourceRef ? { resourceRef } : {}) });
  };

  router.get('/entities', async (req, res) => {
    const q = validateInput<{ q?: string; owner?: string; limit: number; cursor?: string }>(listQuerySchema, { ...req.query }, 'query');
    await assertRead(req);
    const offset = decodeCursor(q.cursor);
    const { rows, total } = await entities.list({ ...(q.q ? { term: q.q.trim() } : {}), ...(q.owner ? { owner: q.owner } : {}), limit: q.limit, offset });
    const body: DocsEntityList = {
      items: rows.map(summaryOf),
      totalItems: total,
      pageInfo: offset + rows.length < total ? { nextCursor: encodeCursor(offset + rows.length) } : {},
    };
    res.json(body);
  });

  router.get('/owners', async (req, res) => {
    await assertRead(req);
    const body: DocsOwnerList = { items: await entities.owners() };
    res.json(body);
  });

  router.get('/entities/:namespace/:kind/:name', async (req, res) => {
    const { entityRef } = tripletOf(req);
    await assertRead(req, entityRef);
    const row = await entities.get(entityRef);
    if (!row) throw new NotFoundError(`${entityRef} has no TechDocs (no backstage.io/techdocs-ref annotation, or not in the catalog)`);
    res.setHeader('Cache-Control', 'no-store');
    res.json(detailOf(row));
  });

  router.post('/builds/:namespace/:kind/:name', async (req, res) => {
    const { entityRef } = tripletOf(req);
    const body = validateInput<{ force: boolean }>(buildBodySchema, req.body ?? {}, 'body');
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'techdocs.build', resourceRef: entityRef });
    const row = await entities.requestBuild(entityRef, body.force);
    if (!row) throw new NotFoundError(`${entityRef} has no TechDocs`);
    ctx.audit.record({ actor: caller, action: 'techdocs.build.request', target: entityRef, meta: { force: body.force } });
    ctx.onQueued();
    const response: BuildRequestResponse = { entityRef, status: statusOf(row) };
    res.status(202).json(response);
  });

  router.get('/sites/:namespace/:kind/:name', async (req, res) => {
    const { triplet, entityRef } = tripletOf(req);
    await assertRead(req, entityRef);
    const doc = await store.getSite(entityRef, triplet);
    if (!doc) throw new NotFoundError(`No docs have been built for ${entityRef} yet`);
    sendDocument(req, res, doc);
  });

  router.get('/sites/:namespace/:kind/:name/page', async (req, res) => {
    const { triplet, entityRef } = tripletOf(req);
    const q = validateInput<{ route: string }>(pageQuerySchema, { ...req.query }, 'query');
    await assertRead(req, entityRef);
    const route = normalizeRoute(q.route);
    const doc = (await store.getPage(entityRef, triplet, route)) ?? (route !== q.route ? await store.getPage(entityRef, triplet, q.route) : undefined);
    if (!doc) throw new NotFoundError(`Page "${route || '/'}" does not exist in the docs of ${entityRef}`);
    sendDocument(req, res, doc);
  });

  // Backstage's static path: images and files the pages link to.
  router.get('/static/docs/:namespace/:kind/:name/{*path}', async (req, res) => {
    const { triplet, entityRef } = tripletOf(req);
    const rawPath = req.params['path'] as unknown;
    const assetPath = (Array.isArray(rawPath) ? rawPath.join('/') : String(rawPath ?? '')).replace(/^\/+/, '');
    await assertRead(req, entityRef);
    const asset = assetPath ? await store.getAsset(entityRef, triplet, assetPath) : undefined;
    if (!asset) throw new NotFoundError(`File "${assetPath}" is not part of the docs of ${entityRef}`);
    const etag = `"${asset.etag}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Served files never run as a page of the portal's origin (an SVG or HTML with script stays inert).
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox");
    if (!isInlineType(asset.contentType)) res.setHeader('Content-Disposition', `attachment; filename="${assetPath.split('/').pop()!.replace(/["\\\r\n]/g, '_')}"`);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.type(asset.contentType).send(asset.content);
  });

  // Backstage-compatible metadata of a built site.
  router.get('/metadata/techdocs/:namespace/:kind/:name', async (req, res) => {
    const { triplet, entityRef } = tripletOf(req);
    await assertRead(req, entityRef);
    const doc = await store.getSite(entityRef, triplet);
    if (!doc) throw new NotFoundError(`No docs have been built for ${entityRef} yet`);
    const site = JSON.parse(doc.body) as { siteName: string; siteDescription: string | null; builtAt: string; pages: Array<{ route: string }> };
    res.json({
      site_name: site.siteName,
      site_description: site.siteDescription ?? '',
      build_timestamp: new Date(site.builtAt).getTime(),
      files: site.pages.map((p) => (p.route ? `${p.route}/index.html` : 'index.html')),
      etag: doc.etag,
    });
  });

  router.get('/search', async (req, res) => {
    const q = validateInput<{ term: string; entity?: string; limit: number; cursor?: string }>(searchQuerySchema, { ...req.query }, 'query');
    await assertRead(req, q.entity);
    const offset = decodeCursor(q.cursor);
    const found = await search.search({ term: q.term, ...(q.entity ? { entityRef: q.entity.toLocaleLowerCase('en-US') } : {}), limit: q.limit, offset });
    const body: DocsSearchResponse = {
      results: found.slice(0, q.limit),
      pageInfo: found.length > q.limit ? { nextCursor: encodeCursor(offset + q.limit) } : {},
    };
    res.json(body);
  });
}
