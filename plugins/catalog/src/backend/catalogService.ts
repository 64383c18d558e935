import { ConflictError, createServiceRef, NotAllowedError, NotFoundError, type Caller, type EventsService } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import {
  catalogEntityRemoved,
  catalogEntityUpserted,
  CATALOG_FILTER_EXISTS,
  type CatalogQueryRequest,
  type CatalogService,
  type EntityChange,
  type EntityFilterQuery,
  type LocationReadResult,
  type ReadAs,
} from '../common/index.js';
import type { CatalogContext } from './catalogContext.js';
import { filterFromObject } from './filters/parseFilter.js';
import { allOf } from './filters/filterNode.js';
import { entityQueryFromBody, entityQueryFromParams } from './query/entityQueryRequest.js';
import { projectFields } from './query/fields.js';
import { finalEntitiesByRefs, listEntityRows, queryEntityPage } from './query/queryEntities.js';
import { markForStitch } from './store/entityWriter.js';
import { withStitchScope } from './store/stitchScope.js';
import { locationRefOf } from './ingestion/index.js';
import { checkTarget } from './routes/locationTarget.js';
import { toLocation } from './store/locationsStore.js';
import { rows } from './store/sql.js';
import { readableEntities, visibility } from './routes/visibility.js';
import { fullTextCondition } from './filters/fullText.js';
import { writeEntityOverlay } from './overlays/entityOverlays.js';

/** The catalog's in-process API for other backend plugins: `deps: { catalog: catalogServiceRef }`. */
export const catalogServiceRef = createServiceRef<CatalogService>('catalog');

function canonical(ref: string | { kind: string; namespace?: string; name: string }): string {
  return stringifyEntityRef(typeof ref === 'string' ? parseEntityRef(ref) : { ...ref, namespace: ref.namespace ?? 'default' });
}

/** Turns a catalog-client style filter (CATALOG_FILTER_EXISTS or `true` for "exists") into a filter node. */
function filterNodeOf(filter: EntityFilterQuery | undefined) {
  if (filter === undefined) return undefined;
  const sets = (Array.isArray(filter) ? filter : [filter]).map((set) =>
    Object.fromEntries(
      Object.entries(set).map(([k, v]) => {
        const values = (Array.isArray(v) ? v : [v]).filter((x) => x !== CATALOG_FILTER_EXISTS && x !== true && typeof x === 'string');
        return [k, values.length > 0 ? values : undefined];
      }),
    ),
  );
  return filterFromObject(sets);
}

export function createCatalogService(ctx: CatalogContext, events: EventsService): CatalogService {
  /** Entities of a location still waiting to be stitched (queued, or never stitched and not failed). */
  const unstitchedEntities = async (locationId: string): Promise<number> => {
    const [row] = await rows<{ n: number }>(
      ctx.db,
      `select count(*)::int as n from entities e where e.location_id = ? and e.stitch_error is null and (
         exists (select 1 from stitch_queue q where q.entity_ref = e.entity_ref)
         or not exists (select 1 from final_entities f where f.entity_id = e.id))`,
      [locationId],
    );
    return Number(row?.n ?? 0);
  };
  const parse = (texts: string[], fields?: string[]) => texts.map((t) => projectFields(JSON.parse(t) as Entity, fields));
  /** The caller's read filter (undefined: no caller given, or it sees everything). */
  const visibleTo = async (caller: Caller | undefined) => (caller ? visibility(ctx.permissions, caller) : undefined);
  return {
    async getEntityByRef(ref) {
      const text = await ctx.lookup.finalTextByRef(canonical(ref));
      return text ? (JSON.parse(text) as Entity) : undefined;
    },
    async getEntitiesByRefs(refs, options) {
      const canonicalRefs = refs.map((r) => {
        try {
          return canonical(r);
        } catch {
          return undefined;
        }
      });
      const found = await finalEntitiesByRefs(ctx.db, [...new Set(canonicalRefs.filter((r): r is string => r !== undefined))]);
      const entities = canonicalRefs.map((r) => {
        const text = r ? found.get(r) : undefined;
        return text ? (JSON.parse(text) as Entity) : undefined;
      });
      if (options?.caller) {
        // A hidden entity is undefined, like a missing one (decided on the whole entity, before projection).
        const present = entities.flatMap((e, i) => (e ? [{ i, ref: canonicalRefs[i] as string, entity: e }] : []));
        const readable = await readableEntities(ctx.permissions, options.caller, present);
        present.forEach((p, j) => {
          if (!readable[j]) entities[p.i] = undefined;
        });
      }
      return entities.map((e) => (e ? projectFields(e, options?.fields) : undefined));
    },
    async queryEntities(request: CatalogQueryRequest & ReadAs = {}) {
      let query;
      if ('cursor' in request) query = entityQueryFromParams({ cursor: request.cursor, ...(request.limit !== undefined ? { limit: request.limit } : {}) });
      else {
        const orderBy = request.orderFields === undefined ? undefined : Array.isArray(request.orderFields) ? request.orderFields : [request.orderFields];
        query = entityQueryFromBody({
          ...(request.limit !== undefined ? { limit: request.limit } : {}),
          ...(request.offset !== undefined ? { offset: request.offset } : {}),
          ...(orderBy ? { orderBy } : {}),
          ...(request.fullTextFilter ? { fullTextFilter: request.fullTextFilter } : {}),
          ...(request.totalItems ? { totalItems: request.totalItems } : {}),
          ...(request.query ? { query: request.query } : {}),
        });
        const combined = allOf([query.filter, filterNodeOf(request.filter)]);
        if (combined) query.filter = combined;
        else delete query.filter;
        if (request.filter && !request.query) delete query.filterSource;
      }
      // The caller's filter is ANDed after the cursor is decoded, never written into one (as GET /entities/by-query).
      const visible = await visibleTo(request.caller);
      if (visible) {
        const filter = allOf([query.filter, visible]);
        if (filter) query.filter = filter;
        if (query.cursor?.totalItems !== undefined) {
          query.cursor = { ...query.cursor, totalItems: await ctx.aggregates.count(filter, fullTextCondition(query.fullText?.term, query.fullText?.fields)) };
        }
      }
      const page = await queryEntityPage(ctx.db, query, (f, t) => ctx.aggregates.count(f, t));
      return { items: parse(page.items, request.fields), ...(page.totalItems !== undefined ? { totalItems: page.totalItems } : {}), pageInfo: page.pageInfo };
    },
    async getEntities(request = {}) {
      const filter = allOf([filterNodeOf(request.filter), await visibleTo(request.caller)]);
      const texts = await listEntityRows(ctx.db, {
        ...(filter ? { filter } : {}),
        order: request.order ?? [],
        offset: request.offset ?? 0,
        limit: request.limit ?? 1_000_000,
      });
      return { items: parse(texts, request.fields) };
    },
    async getEntityFacets(request) {
      return { facets: await ctx.aggregates.facets(request.facets, allOf([filterNodeOf(request.filter), await visibleTo(request.caller)])) };
    },
    async refreshEntity(ref) {
      const record = await ctx.lookup.byRef(canonical(ref));
      if (!record) return;
      if (record.location_id) {
        await ctx.locations.requestRefresh(record.location_id);
        await ctx.processor.processNow(record.location_id);
      } else {
        await withStitchScope(async (scope) => {
          await markForStitch(ctx.db, [record.entity_ref], [], scope);
          await ctx.processor.stitch({ settle: true, scope });
        });
      }
    },
    async addLocation(request, options = {}) {
      const spec = checkTarget(ctx, request);
      const actor = ctx.auth.serviceCaller('catalog');
      let row = await ctx.locations.findByTarget(spec.type, spec.target);
      const existed = Boolean(row);
      if (row) {
        if (options.onConflict !== 'refresh') throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
        await ctx.locations.requestRefresh(row.id);
      } else {
        row = await ctx.locations.insertRegistered({ ...spec, presence: spec.presence ?? 'required' });
        if (!row) throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
        ctx.audit.record({
          actor,
          action: 'catalog.location.create',
          target: locationRefOf(spec),
          status: 'succeeded',
          ...(options.requestedBy ? { meta: { requestedBy: options.requestedBy } } : {}),
        });
      }
      const id = row.id;
      // Read it now on this replica; waitForLocationRead reports the outcome (a read error is recorded on the location).
      void ctx.processor
        .processNow(id)
        .catch((e: unknown) => ctx.logger.warn({ err: e, location: locationRefOf(spec) }, 'catalog: reading a newly added location failed'));
      return { location: toLocation(row), existed };
    },
    async removeLocation(id) {
      const row = await ctx.locations.get(id);
      if (!row) throw new NotFoundError(`Found no location with ID ${id}`);
      if (row.source === 'config')
        throw new NotAllowedError(`Location ${row.type}:${row.target} is defined in the catalog.locations config and cannot be removed here`);
      await ctx.processor.removeLocationEntities(row.id);
      await ctx.locations.delete(row.id);
      ctx.audit.record({ actor: ctx.auth.serviceCaller('catalog'), action: 'catalog.location.delete', target: locationRefOf(row), status: 'succeeded' });
    },
    async refreshLocation(id) {
      if (!(await ctx.locations.get(id))) throw new NotFoundError(`Found no location with ID ${id}`);
      await ctx.locations.requestRefresh(id);
      await ctx.processor.processNow(id);
    },
    async getLocationStatus(id) {
      const row = await ctx.locations.get(id);
      return row ? ctx.locations.status(row) : undefined;
    },
    async waitForLocationRead(id, options = {}): Promise<LocationReadResult> {
      const timeoutMs = options.timeoutMs ?? 60_000;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        options.signal?.throwIfAborted();
        const row = await ctx.locations.get(id);
        if (!row) throw new NotFoundError(`Found no location with ID ${id}`);
        // Read at least once, not claimed by a read in progress, no refresh asked for since, and
        // what it stored is stitched (the read is recorded before its entities are stitched).
        if (row.last_read_at && !row.claimed_by && !row.force_refresh && (await unstitchedEntities(id)) === 0) {
          return { status: await ctx.locations.status(row), entities: await ctx.processor.entitiesOfLocation(id) };
        }
        if (Date.now() > deadline) throw new Error(`Location ${locationRefOf(row)} was not read within ${Math.round(timeoutMs / 1000)} s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    registerEntityProvider(provider) {
      return ctx.providers.register(provider);
    },
    listEntityProviders() {
      return ctx.providers.list();
    },
    async getEntityProviderStatus(name) {
      return (await ctx.providers.list(name))[0];
    },
    async registerEntityCheck(check) {
      const kinds = check.kinds.map((k) => k.toLowerCase());
      const remove = ctx.checks.add(check);
      const recheck = async () => {
        ctx.checks.changed(kinds);
        const n = await ctx.processor.recheckStoredEntities(kinds);
        if (n > 0) ctx.logger.info({ check: check.id, locations: n }, `catalog: entity check ${check.id}: reading ${n} locations again`);
      };
      // Entities stored before the check existed (or checked by its previous rules) whose problems change are read again now.
      await recheck();
      return { recheck, remove };
    },
    setEntityOverlay(ref, changes, options) {
      return writeEntityOverlay(ctx, {
        ref,
        changes,
        actor: options.actor,
        source: options.source,
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.hop !== undefined ? { hop: options.hop } : {}),
      });
    },
    clearEntityOverlay(ref, options) {
      return writeEntityOverlay(ctx, { ref, actor: options.actor, source: options.source });
    },
    onEntityChange(handler: (change: EntityChange) => void | Promise<void>) {
      const off1 = events.subscribe(catalogEntityUpserted, (e) => handler({ type: 'upserted', ...e.payload }));
      const off2 = events.subscribe(catalogEntityRemoved, (e) => handler({ type: 'removed', ...e.payload }));
      return () => {
        off1();
        off2();
      };
    },
  };
}
