import { CoalescingQueue, type Logger, type SearchCollator, type SearchDocument, type WorkloadService } from '@atrium/backend-plugin-api';
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

/** Entities read and indexed together when following changes. */
const CHANGE_BATCH = 500;

/**
 * The `software-catalog` search documents: one per entity, kept fresh from
 * `onEntityChange` (every replica sees every change). Changes are coalesced per entity and
 * indexed in batches by one worker (see CoalescingQueue): a bulk ingest costs a few hundred
 * batched reads and writes instead of one concurrent read and write per entity, which used to
 * exhaust the connection pool at 100,000 entities. The search plugin registers it when the
 * catalog is installed.
 */
export function createCatalogSearchCollator(catalog: CatalogService, logger?: Logger, workload?: Pick<WorkloadService, 'whenIdle'>): SearchCollator {
  let queue: CoalescingQueue<'changed' | 'removed'> | undefined;
  return {
    type: 'software-catalog',
    title: 'Software Catalog',
    version: '1',
    async *collate(signal) {
      for await (const batch of allEntities(catalog, signal)) yield batch.map(entityToSearchDocument);
    },
    subscribe(sink) {
      const changes = new CoalescingQueue<'changed' | 'removed'>(
        async (batch) => {
          const changed = [...batch].filter(([, what]) => what === 'changed').map(([ref]) => ref);
          const gone = [...batch].filter(([, what]) => what === 'removed').map(([ref]) => ref);
          const entities = changed.length > 0 ? await catalog.getEntitiesByRefs(changed) : [];
          const docs: SearchDocument[] = [];
          entities.forEach((entity, i) => {
            if (entity) docs.push(entityToSearchDocument(entity));
            else gone.push(changed[i]!);
          });
          if (docs.length > 0) await sink.upsert(docs);
          if (gone.length > 0) await sink.remove(gone);
        },
        {
          batchSize: CHANGE_BATCH,
          onError: (e, keys) => logger?.warn({ err: e, keys }, 'search: could not read changed entities; retrying'),
          // An ingest's changes are indexed once it ends (see WorkloadService for the bound on the wait).
          ...(workload ? { yieldTo: workload } : {}),
        },
      );
      queue = changes;
      const unsubscribe = catalog.onEntityChange((change) => changes.add(change.entityRef.toLowerCase(), change.type === 'removed' ? 'removed' : 'changed'));
      return () => {
        unsubscribe();
        changes.stop();
      };
    },
    idle: () => queue?.idle() ?? Promise.resolve(),
  };
}
