import type { Request, Response } from 'express';
import { stringifyEntityRef } from '@atrium/catalog-model';
import { InputError, NotFoundError, type AuditService, type Caller, type JsonSchema, type PermissionsService } from '@atrium/backend-plugin-api';
import { CATALOG_FILTER_EXISTS, type CatalogService } from '@atrium/plugin-catalog/backend';
import { TECHDOCS_REF_ANNOTATION, type EntityTriplet } from '../../common/index.js';
import type { DocsEntities } from '../builds/docsEntities.js';
import type { SearchIndex } from '../search/searchIndex.js';
import type { SiteStore, StoredDocument } from '../store/SiteStore.js';

/** What the TechDocs route handlers use, passed to mountRoutes by setup(). */
export interface TechdocsRouteServices {
  entities: DocsEntities;
  store: SiteStore;
  search: SearchIndex;
  audit: AuditService;
  permissions: PermissionsService;
  catalog: CatalogService;
  /** Called after a build was queued on this replica. */
  onQueued(): void;
}

const segment = { type: 'string', minLength: 1, maxLength: 253 };

/** Path parameters naming an entity (`:namespace/:kind/:name`), plus any `extra` ones. */
export function tripletParams(extra: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    required: ['namespace', 'kind', 'name', ...Object.keys(extra)],
    properties: { namespace: segment, kind: segment, name: segment, ...extra },
  };
}

export const entityRefOf = (p: EntityTriplet): string => stringifyEntityRef({ namespace: p.namespace, kind: p.kind, name: p.name });

/** What a route answers for an entity without docs (not in the catalog, no annotation), and for one the caller may not read. */
export const noDocs = (entityRef: string) => new NotFoundError(`${entityRef} has no TechDocs (no backstage.io/techdocs-ref annotation, or not in the catalog)`);

/**
 * `catalog.entity.read` on the entity the path names; an entity the caller may not read is
 * answered like one without docs (404), so its existence is not revealed.
 */
export const readEntity = {
  name: 'catalog.entity.read',
  resourceRef: ({ params }: { params: EntityTriplet }) => entityRefOf(params),
  hiddenAs: (_request: unknown, entityRef: string) => noDocs(entityRef),
};

/**
 * The documented entities the caller may read, as refs for an `entity_ref = any(?)` filter in
 * SQL; undefined when it may read every entity (nothing is added to the query). The catalog
 * applies the caller's policy predicate in its own SQL.
 */
export async function readableDocsRefs(s: Pick<TechdocsRouteServices, 'permissions' | 'catalog'>, caller: Caller): Promise<string[] | undefined> {
  const c = await s.permissions.queryConditions(caller, 'catalog.entity.read');
  if (c.result === 'all') return undefined;
  if (c.result === 'none') return [];
  const { items } = await s.catalog.getEntities({
    filter: { [`metadata.annotations.${TECHDOCS_REF_ANNOTATION}`]: CATALOG_FILTER_EXISTS },
    fields: ['kind', 'metadata.namespace', 'metadata.name'],
    caller,
  });
  return items.map((e) => stringifyEntityRef(e));
}

export const cursorQuery: JsonSchema = { type: 'string', maxLength: 100, description: 'pageInfo.nextCursor of the previous page' };

export function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}
export function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const o = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new InputError('The cursor is invalid');
}

/** Sends a stored JSON document with an ETag; answers 304 when the client has it. */
export function sendDocument(req: Request, res: Response, doc: StoredDocument): void {
  const etag = `"${doc.etag}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(doc.body);
}

export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const notFound = { '404': { description: 'Not documented or not built' } };
