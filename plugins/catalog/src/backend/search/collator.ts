import type { SearchCollator, SearchDocument } from '@atrium/backend-plugin-api';
import { DEFAULT_NAMESPACE, type Entity } from '@atrium/catalog-model';
import type { CatalogService } from '../../common/index.js';
import { buildSearchRows } from '../stitching/searchRows.js';

const PAGE = 500;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** App path of an entity page: `/catalog/<namespace>/<kind>/<name>` (lower-case kind). */
export function entityLocation(e: Entity): string {
  const ns = e.metadata.namespace ?? DEFAULT_NAMESPACE;
  return `/catalog/${encodeURIComponent(ns)}/${encodeURIComponent(e.kind.toLowerCase())}/${encodeURIComponent(e.metadata.name)}`;
}

export function entityRefOf(e: Entity): string {
  return `${e.kind}:${e.metadata.namespace ?? DEFAULT_NAMESPACE}/${e.metadata.name}`.toLowerCase();
}

/** The search document of one catalog entity. */
export function entityToSearchDocument(e: Entity): SearchDocument {
  const spec = (e.spec ?? {}) as Record<string, unknown>;
  const profile = (spec.profile ?? {}) as Record<string, unknown>;
  const ref = entityRefOf(e);
  const title = str(e.metadata.title) ?? str(profile.displayName) ?? e.metadata.name;
  const filterFields: Record<string, string[]> = {};
  for (const row of buildSearchRows(e)) if (row.value !== null) (filterFields[row.key] ??= []).push(row.value);
  const text = [str(e.metadata.description), str(spec.type), str(spec.system), str(profile.email)].filter(Boolean).join(' · ');
  const doc: SearchDocument = {
    key: ref,
    title,
    text,
    location: entityLocation(e),
    entityRef: ref,
    kind: e.kind,
    namespace: e.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: e.metadata.name,
    tags: (e.metadata.tags ?? []).filter((t): t is string => typeof t === 'string'),
    keywords: [ref, ...(str(spec.type) ? [spec.type as string] : [])],
    filterFields,
  };
  const owner = str(spec.owner);
  if (owner) doc.owner = owner;
  const lifecycle = str(spec.lifecycle);
  if (lifecycle) doc.lifecycle = lifecycle;
  return doc;
}

/** Pages through every stored entity (optionally one kind), `PAGE` at a time. */
export async function* allEntities(catalog: CatalogService, signal: AbortSignal, filter?: Record<string, string>): AsyncIterable<Entity[]> {
  let page = await catalog.queryEntities({ ...(filter ? { filter } : {}), limit: PAGE, totalItems: 'exclude' });
  for (;;) {
    if (signal.aborted) return;
    if (page.items.length > 0) yield page.items;
    const cursor = page.pageInfo.nextCursor;
    if (!cursor) return;
    page = await catalog.queryEntities({ cursor, limit: PAGE });
  }
}

/**
 * The `software-catalog` search documents: one per entity, kept fresh from
 * `onEntityChange` (every replica sees every change). The search plugin registers it when the
 * catalog is installed.
 */
export function createCatalogSearchCollator(catalog: CatalogService): SearchCollator {
  return {
    type: 'software-catalog',
    title: 'Software Catalog',
    version: '1',
    async *collate(signal) {
      for await (const batch of allEntities(catalog, signal)) yield batch.map(entityToSearchDocument);
    },
    subscribe(sink) {
      return catalog.onEntityChange(async (change) => {
        if (change.type === 'removed') return sink.remove([change.entityRef.toLowerCase()]);
        const entity = await catalog.getEntityByRef(change.entityRef);
        if (entity) await sink.upsert([entityToSearchDocument(entity)]);
        else await sink.remove([change.entityRef.toLowerCase()]);
      });
    },
  };
}
