import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import type { EntityTriplet as Triplet } from '../../common/index.js';
import { normalizeRoute, type EntityTriplet } from '../../common/index.js';
import { isInlineType } from '../build/contentTypes.js';
import { componentRef, entityRefOf, notFound, readEntity, sendDocument, tripletParams, type TechdocsRouteServices } from './shared.js';

const notModified = { '304': { description: 'Not modified' } };

// Each route answers an entity the caller may not read exactly as it answers a missing one.
const notBuilt = (entityRef: string) => new NotFoundError(`No docs have been built for ${entityRef} yet`);
const noPage = (route: string, entityRef: string) => new NotFoundError(`Page "${route || '/'}" does not exist in the docs of ${entityRef}`);
const noFile = (assetPath: string, entityRef: string) => new NotFoundError(`File "${assetPath}" is not part of the docs of ${entityRef}`);
const assetPathOf = (p: { path: string }) => p.path.replace(/^\/+/, '');
const readSite = { ...readEntity, hiddenAs: (_r: unknown, entityRef: string) => notBuilt(entityRef) };
const readPage = { ...readEntity, hiddenAs: ({ query }: { query: { route: string } }, entityRef: string) => noPage(normalizeRoute(query.route), entityRef) };
const readAsset = {
  ...readEntity,
  hiddenAs: ({ params }: { params: Triplet & { path: string } }, entityRef: string) => noFile(assetPathOf(params), entityRef),
};

/** GET /sites/:namespace/:kind/:name: a built site (name, nav, pages). */
export const getDocsSite = defineRoute<TechdocsRouteServices, EntityTriplet>({
  method: 'get',
  path: '/sites/:namespace/:kind/:name',
  params: tripletParams(),
  permission: readSite,
  summary: 'A built site: name, nav and pages (ETag, revalidated)',
  response: { description: 'The site', schema: componentRef('DocsSite') },
  responses: { ...notModified, ...notFound },
  handler: async ({ params, req, res }, { store }) => {
    const entityRef = entityRefOf(params);
    const doc = await store.getSite(entityRef, params);
    if (!doc) throw notBuilt(entityRef);
    sendDocument(req, res, doc);
  },
});

/** GET /sites/:namespace/:kind/:name/page?route=: one rendered page. */
export const getDocsPage = defineRoute<TechdocsRouteServices, EntityTriplet, { route: string }>({
  method: 'get',
  path: '/sites/:namespace/:kind/:name/page',
  params: tripletParams(),
  query: { type: 'object', additionalProperties: false, properties: { route: { type: 'string', maxLength: 1000, default: '' } } },
  permission: readPage,
  summary: 'One page: sanitized HTML, TOC, prev/next, edit link (ETag, revalidated)',
  response: { description: 'The page', schema: componentRef('DocsPage') },
  responses: { ...notModified, ...notFound },
  handler: async ({ params, query, req, res }, { store }) => {
    const entityRef = entityRefOf(params);
    const route = normalizeRoute(query.route);
    const doc = (await store.getPage(entityRef, params, route)) ?? (route !== query.route ? await store.getPage(entityRef, params, query.route) : undefined);
    if (!doc) throw noPage(route, entityRef);
    sendDocument(req, res, doc);
  },
});

/** GET /static/docs/:namespace/:kind/:name/{*path}: Backstage's static path, images and files the pages link to. */
export const getDocsAsset = defineRoute<TechdocsRouteServices, EntityTriplet & { path: string }>({
  method: 'get',
  path: '/static/docs/:namespace/:kind/:name/{*path}',
  params: tripletParams({ path: { type: 'string', maxLength: 2000 } }),
  permission: readAsset,
  summary: 'An image or file a page links to',
  response: { description: 'The file', contentType: 'application/octet-stream', schema: { type: 'string', format: 'binary' } },
  responses: { ...notModified, ...notFound },
  handler: async ({ params, req, res }, { store }) => {
    const entityRef = entityRefOf(params);
    const assetPath = assetPathOf(params);
    const asset = assetPath ? await store.getAsset(entityRef, params, assetPath) : undefined;
    if (!asset) throw noFile(assetPath, entityRef);
    const etag = `"${asset.etag}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Served files never run as a page of the portal's origin (an SVG or HTML with script stays inert).
    res.setHeader('Content-Security-Policy', "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox");
    if (!isInlineType(asset.contentType))
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${assetPath
          .split('/')
          .pop()!
          .replace(/["\\\r\n]/g, '_')}"`,
      );
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.type(asset.contentType).send(asset.content);
  },
});

/** GET /metadata/techdocs/:namespace/:kind/:name: Backstage-compatible metadata of a built site. */
export const getDocsMetadata = defineRoute<TechdocsRouteServices, EntityTriplet>({
  method: 'get',
  path: '/metadata/techdocs/:namespace/:kind/:name',
  params: tripletParams(),
  permission: readSite,
  summary: 'Backstage-compatible site metadata',
  response: { description: 'Metadata' },
  responses: notFound,
  handler: async ({ params }, { store }) => {
    const entityRef = entityRefOf(params);
    const doc = await store.getSite(entityRef, params);
    if (!doc) throw notBuilt(entityRef);
    const site = JSON.parse(doc.body) as { siteName: string; siteDescription: string | null; builtAt: string; pages: Array<{ route: string }> };
    return {
      site_name: site.siteName,
      site_description: site.siteDescription ?? '',
      build_timestamp: new Date(site.builtAt).getTime(),
      files: site.pages.map((p) => (p.route ? `${p.route}/index.html` : 'index.html')),
      etag: doc.etag,
    };
  },
});
