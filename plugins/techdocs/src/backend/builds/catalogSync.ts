import { CoalescingQueue, type Logger, type WorkloadService } from '@atrium/backend-plugin-api';
import { CATALOG_FILTER_EXISTS, type CatalogService, type EntityChange } from '@atrium/plugin-catalog/backend';
import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { TECHDOCS_REF_ANNOTATION } from '../../common/index.js';
import type { SearchIndex } from '../search/searchIndex.js';
import type { SiteStore } from '../store/SiteStore.js';
import type { DocsEntities, DocsEntityInfo } from './docsEntities.js';

const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';
const PAGE_SIZE = 500;

/** The TechDocs view of a catalog entity, or undefined when it has no docs. */
export function docsInfoOf(entity: Entity): DocsEntityInfo | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const techdocsRef = annotations[TECHDOCS_REF_ANNOTATION];
  if (typeof techdocsRef !== 'string' || techdocsRef.trim() === '') return undefined;
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const ownedBy = entity.relations?.find((r) => r.type === 'ownedBy')?.targetRef;
  return {
    entityRef: stringifyEntityRef(entity),
    namespace,
    kind: entity.kind,
    name: entity.metadata.name,
    title: str(entity.metadata.title) ?? entity.metadata.name,
    description: str(entity.metadata.description),
    owner: ownedBy ?? str(spec['owner']),
    specType: str(spec['type']),
    lifecycle: str(spec['lifecycle']),
    techdocsRef: techdocsRef.trim(),
    locationRef: str(annotations[LOCATION_ANNOTATION]),
  };
}

/**
 * Keeps `docs_entities` in step with the catalog: on entity changes (every replica hears them)
 * and in a periodic full pass, which also queues a source check for sites not checked lately.
 */
export class CatalogSync {
  constructor(
    private readonly o: {
      catalog: CatalogService;
      entities: DocsEntities;
      store: SiteStore;
      search: SearchIndex;
      logger: Logger;
      refreshIntervalSeconds: number;
      onQueued(): void;
      /** Bulk work (a catalog ingest) to let finish before following its changes. */
      workload?: Pick<WorkloadService, 'whenIdle'>;
    },
  ) {}

  // Changes are coalesced per entity and handled 500 at a time by one worker: a bulk ingest of
  // thousands of entities (most without docs) costs a few batched reads, not one read and one
  // delete per entity competing with the ingest for connections.
  private readonly changes = new CoalescingQueue<'changed' | 'removed'>((batch) => this.applyChanges(batch), {
    batchSize: PAGE_SIZE,
    onError: (e, keys) => this.o.logger.warn({ err: e, keys }, 'techdocs: could not follow catalog changes; retrying'),
    // An ingest's changes wait for it to end (coalescing meanwhile), then are followed in full batches.
    yieldTo: { whenIdle: (ms) => this.o.workload?.whenIdle(ms) ?? Promise.resolve() },
  });

  onChange(change: EntityChange): Promise<void> {
    this.changes.add(change.entityRef.toLocaleLowerCase('en-US'), change.type === 'removed' ? 'removed' : 'changed');
    return Promise.resolve();
  }

  /** Resolves once every change heard so far is applied (tests). */
  idle(): Promise<void> {
    return this.changes.idle();
  }

  stop(): void {
    this.changes.stop();
  }

  private async applyChanges(batch: Map<string, 'changed' | 'removed'>): Promise<void> {
    const changed = [...batch].filter(([, what]) => what === 'changed').map(([ref]) => ref);
    const gone = [...batch].filter(([, what]) => what === 'removed').map(([ref]) => ref);
    const entities = changed.length > 0 ? await this.o.catalog.getEntitiesByRefs(changed) : [];
    const withDocs: DocsEntityInfo[] = [];
    for (let i = 0; i < changed.length; i++) {
      const entity = entities[i];
      const info = entity ? docsInfoOf(entity) : undefined;
      if (info) withDocs.push(info);
      else gone.push(changed[i]!);
    }
    await this.o.entities.upsertMany(withDocs);
    // Only entities that had docs have anything to remove.
    for (const ref of await this.o.entities.existing(gone)) await this.remove(ref);
    if (withDocs.length > 0) this.o.onQueued();
  }

  /** One pass over every catalog entity with docs. */
  async syncAll(): Promise<{ entities: number; removed: number }> {
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.o.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : { filter: { [`metadata.annotations.${TECHDOCS_REF_ANNOTATION}`]: CATALOG_FILTER_EXISTS }, limit: PAGE_SIZE, totalItems: 'exclude' },
      );
      const withDocs = page.items.map(docsInfoOf).filter((info): info is DocsEntityInfo => info !== undefined);
      for (const info of withDocs) seen.add(info.entityRef);
      await this.o.entities.upsertMany(withDocs);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    let removed = 0;
    for (const ref of await this.o.entities.allRefs()) {
      if (!seen.has(ref)) {
        await this.remove(ref);
        removed++;
      }
    }
    await this.o.entities.requestDueChecks(this.o.refreshIntervalSeconds);
    this.o.onQueued();
    return { entities: seen.size, removed };
  }

  private async remove(entityRef: string): Promise<void> {
    const row = await this.o.entities.get(entityRef);
    if (!row) return;
    await this.o.store.delete(entityRef, { namespace: row.namespace, kind: row.kind, name: row.name });
    await this.o.search.delete(entityRef);
    await this.o.entities.delete(entityRef);
    this.o.logger.info({ entityRef }, 'techdocs: entity no longer has docs; site removed');
  }
}
