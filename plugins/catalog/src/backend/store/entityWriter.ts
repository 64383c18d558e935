import { unnestColumns, type EventLogService } from '@atrium/backend-plugin-api';
import type { EntityStatusItem } from '@atrium/catalog-model';
import { CATALOG_LOG_TOPICS } from '../../common/entityHistory.js';
import { appendEntityEvents, removedEvent } from './entityLog.js';
import type { Knex } from 'knex';
import type { ProcessedItem } from '../orchestration/types.js';
import { jsonWithoutNul } from '../ingestion/nulCharacters.js';
import { advanceGeneration } from './generation.js';
import { currentStitchScope, type StitchScope } from './stitchScope.js';
import { bulkExec, bulkRows, chunk, transactionWithRetry, WRITE_BATCH, type Db } from './sql.js';

export interface StoredEntityState {
  id: string;
  entity_ref: string;
  location_id: string | null;
  /** The entity provider that owns it (then location_id is null). */
  provider: string | null;
  source_file: string | null;
  hash: string;
  has_errors: boolean;
  orphan: boolean;
}

/**
 * Writes processed entities, their relations and removals in bulk. Every statement binds
 * whole arrays (unnest) so a location with 100,000+ entities never approaches Postgres'
 * 65,535 bind-parameter limit; each batch is its own short transaction, so readers (and the
 * single PGlite session) are never blocked for long. Every change marks the entities whose
 * final form it affects (stitch_queue): the entity, both ends of its old and new relations,
 * and entities whose relations point at a ref that appeared or disappeared.
 */
export class EntityWriter {
  constructor(
    private readonly db: Knex,
    /** Where deletions and orphanings are recorded, in their transaction (creations and updates: at stitch time). */
    readonly eventLog?: EventLogService,
  ) {}

  /** Current state of every entity this location owns. */
  async ownedBy(locationId: string): Promise<StoredEntityState[]> {
    return bulkRows<StoredEntityState>(
      this.db,
      `select id, entity_ref, location_id, provider, source_file, hash, jsonb_array_length(errors) > 0 as has_errors, orphan
       from entities where location_id = ?`,
      [locationId],
    );
  }

  /** Current state of every entity this provider owns. */
  async ownedByProvider(provider: string): Promise<StoredEntityState[]> {
    return bulkRows<StoredEntityState>(
      this.db,
      `select id, entity_ref, location_id, provider, source_file, hash, jsonb_array_length(errors) > 0 as has_errors, orphan
       from entities where provider = ?`,
      [provider],
    );
  }

  /** Current state of these refs, whoever owns them. */
  async byRefs(refs: string[]): Promise<StoredEntityState[]> {
    const out: StoredEntityState[] = [];
    for (const part of chunk(refs, 10_000)) {
      out.push(
        ...(await bulkRows<StoredEntityState>(
          this.db,
          `select id, entity_ref, location_id, provider, source_file, hash, jsonb_array_length(errors) > 0 as has_errors, orphan
           from entities where entity_ref = any(?::text[])`,
          [part],
        )),
      );
    }
    return out;
  }

  /**
   * Inserts or updates valid entities for a location, or for an entity provider
   * (`{ provider }`), with the problems entity checks found in them as their errors. A row owned by another location or provider is left alone (checked again
   * in the statement, so a concurrent replica cannot steal it); returns the refs refused that way.
   */
  async upsert(owner: string | { provider: string }, items: ProcessedItem[], newId: () => string): Promise<{ refused: string[] }> {
    // Taken here, not inside the transaction: a pooled connection's callback may run in another context.
    const scope = currentStitchScope();
    const locationId = typeof owner === 'string' ? owner : null;
    const provider = typeof owner === 'string' ? null : owner.provider;
    const refused: string[] = [];
    for (const batch of chunk(items, WRITE_BATCH)) {
      const refusedHere = await transactionWithRetry(this.db, async (trx) => {
        const rows = unnestColumns([
          [batch.map(() => newId()), 'uuid'],
          [batch.map((i) => i.entityRef), 'text'],
          [batch.map((i) => i.sourceFile), 'text'],
          [batch.map((i) => i.parentRef), 'text'],
          [batch.map((i) => JSON.stringify(i.entity)), 'text'],
          [batch.map((i) => i.hash), 'text'],
          [batch.map((i) => i.locationKey ?? null), 'text'],
          // Problems entity checks found in a valid entity are stored with it (see ProcessedItem.status).
          [batch.map((i) => jsonWithoutNul(i.status ?? [])), 'text'],
        ]);
        const written = await bulkRows<{ id: string; entity_ref: string; inserted: boolean }>(
          trx,
          `insert into entities as e (id, entity_ref, location_id, provider, location_key, source_file, parent_ref, processed, hash, errors, orphan, updated_at)
           select u.id, u.ref, ?::uuid, ?::text, u.location_key, u.source_file, u.parent_ref, u.processed::json, u.hash, u.errors::jsonb, false, now()
           from ${rows.sql} as u(id, ref, source_file, parent_ref, processed, hash, location_key, errors)
           on conflict (entity_ref) do update set location_id = excluded.location_id, provider = excluded.provider, location_key = excluded.location_key,
             source_file = excluded.source_file, parent_ref = excluded.parent_ref, processed = excluded.processed, hash = excluded.hash, errors = excluded.errors,
             orphan = false, updated_at = now()
           where (e.location_id is null and e.provider is null) or e.location_id = excluded.location_id or e.provider = excluded.provider
           returning id, entity_ref, (xmax = 0) as inserted`,
          [locationId, provider, ...rows.bindings],
        );
        const ids = new Map(written.map((w) => [w.entity_ref, w.id]));
        const kept = batch.filter((i) => ids.has(i.entityRef));
        const inserted = written.filter((w) => w.inserted).map((w) => w.entity_ref);
        const updatedIds = written.filter((w) => !w.inserted).map((w) => w.id);
        const oldSources = await this.replaceRelations(
          trx,
          kept.map((i) => ({ id: ids.get(i.entityRef)!, item: i })),
          updatedIds,
        );
        await markForStitch(
          trx,
          [...kept.map((i) => i.entityRef), ...oldSources, ...kept.flatMap((i) => i.relations.map((r) => r.sourceRef))],
          inserted,
          scope,
        );
        return batch.filter((i) => !ids.has(i.entityRef)).map((i) => i.entityRef);
      });
      refused.push(...refusedHere);
    }
    return { refused };
  }

  /** Writes the relations of `entries`, first deleting the old ones of `updatedIds` (new entities have none). */
  private async replaceRelations(trx: Knex.Transaction, entries: Array<{ id: string; item: ProcessedItem }>, updatedIds: string[]): Promise<string[]> {
    if (entries.length === 0) return [];
    const old =
      updatedIds.length === 0
        ? []
        : await bulkRows<{ source_ref: string }>(trx, `delete from relations where originating_entity_id = any(?::uuid[]) returning source_ref`, [updatedIds]);
    const cols = { ids: [] as string[], sources: [] as string[], types: [] as string[], targets: [] as string[] };
    for (const { id, item } of entries) {
      for (const r of item.relations) {
        cols.ids.push(id);
        cols.sources.push(r.sourceRef);
        cols.types.push(r.type);
        cols.targets.push(r.targetRef);
      }
    }
    for (let i = 0; i < cols.ids.length; i += WRITE_BATCH * 10) {
      const end = i + WRITE_BATCH * 10;
      const rows = unnestColumns([
        [cols.ids.slice(i, end), 'uuid'],
        [cols.sources.slice(i, end), 'text'],
        [cols.types.slice(i, end), 'text'],
        [cols.targets.slice(i, end), 'text'],
      ]);
      await bulkExec(trx, `insert into relations (originating_entity_id, source_ref, type, target_ref) select * from ${rows.sql}`, rows.bindings);
    }
    return old.map((o) => o.source_ref);
  }

  /** Keeps an entity's last good version and shows why the newest one was refused. */
  async setErrors(updates: Array<{ id: string; errors: EntityStatusItem[] }>): Promise<void> {
    // Taken here, not inside the transaction: a pooled connection's callback may run in another context.
    const scope = currentStitchScope();
    for (const batch of chunk(updates, WRITE_BATCH)) {
      await transactionWithRetry(this.db, async (trx) => {
        const changed = await bulkRows<{ entity_ref: string }>(
          trx,
          `update entities e set errors = u.errors::jsonb, updated_at = now()
           from unnest(?::uuid[], ?::text[]) as u(id, errors) where e.id = u.id and e.errors <> u.errors::jsonb returning e.entity_ref`,
          [batch.map((u) => u.id), batch.map((u) => jsonWithoutNul(u.errors))],
        );
        await markForStitch(
          trx,
          changed.map((c) => c.entity_ref),
          [],
          scope,
        );
      });
    }
  }

  /** Deletes entities with their relations and index rows; returns the refs removed. `actor` names who asked (default the catalog). */
  async remove(ids: string[], onlyOwner?: string | { provider: string }, actor?: string): Promise<string[]> {
    // Taken here, not inside the transaction: a pooled connection's callback may run in another context.
    const scope = currentStitchScope();
    const removed: string[] = [];
    const ownerColumn = onlyOwner === undefined ? undefined : typeof onlyOwner === 'string' ? 'location_id' : 'provider';
    const ownerValue = onlyOwner === undefined ? undefined : typeof onlyOwner === 'string' ? onlyOwner : onlyOwner.provider;
    for (const batch of chunk(ids, WRITE_BATCH)) {
      const removedHere = await transactionWithRetry(this.db, async (trx) => {
        // The last served form goes into the event log's `deleted` event (consumers and permission checks need it).
        const lastServed = new Map<string, unknown>();
        if (this.eventLog) {
          const finals = await bulkRows<{ entity_id: string; final: unknown }>(
            trx,
            `select entity_id, final from final_entities where entity_id = any(?::uuid[])`,
            [batch],
          );
          for (const f of finals) lastServed.set(f.entity_id, typeof f.final === 'string' ? JSON.parse(f.final) : f.final);
        }
        const gone = await bulkRows<{ id: string; entity_ref: string }>(
          trx,
          `delete from entities where id = any(?::uuid[]) ${ownerColumn ? `and ${ownerColumn} = ?` : ''} returning id, entity_ref`,
          ownerColumn ? [batch, ownerValue] : [batch],
        );
        if (gone.length === 0) return [];
        const goneIds = gone.map((g) => g.id);
        const old = await bulkRows<{ source_ref: string }>(trx, `delete from relations where originating_entity_id = any(?::uuid[]) returning source_ref`, [
          goneIds,
        ]);
        await bulkExec(trx, `delete from search where entity_id = any(?::uuid[])`, [goneIds]);
        const refs = gone.map((g) => g.entity_ref);
        await markForStitch(
          trx,
          old.map((o) => o.source_ref),
          refs,
          scope,
        );
        await appendEntityEvents(
          this.eventLog,
          trx,
          gone.map((g) => removedEvent(CATALOG_LOG_TOPICS.deleted, g.entity_ref, g.id, actor, lastServed.get(g.id))),
        );
        return refs;
      });
      removed.push(...removedHere);
      if (removedHere.length > 0) await advanceGeneration(this.db);
    }
    return removed;
  }

  /** orphanStrategy keep: the entity stays, owned by no location, marked as an orphan. */
  async orphan(ids: string[]): Promise<void> {
    // Taken here, not inside the transaction: a pooled connection's callback may run in another context.
    const scope = currentStitchScope();
    for (const batch of chunk(ids, WRITE_BATCH)) {
      await transactionWithRetry(this.db, async (trx) => {
        const changed = await bulkRows<{ id: string; entity_ref: string }>(
          trx,
          `update entities set orphan = true, location_id = null, updated_at = now() where id = any(?::uuid[]) returning id, entity_ref`,
          [batch],
        );
        await markForStitch(
          trx,
          changed.map((c) => c.entity_ref),
          [],
          scope,
        );
        await appendEntityEvents(
          this.eventLog,
          trx,
          changed.map((c) => removedEvent(CATALOG_LOG_TOPICS.orphaned, c.entity_ref, c.id)),
        );
      });
    }
  }

  async countOwned(locationId: string): Promise<number> {
    const [row] = await bulkRows<{ count: number }>(this.db, `select count(*)::int as count from entities where location_id = ?`, [locationId]);
    return Number(row?.count ?? 0);
  }

  /** Ids of every entity a location owns (for unregistering it). */
  async idsOfLocation(locationId: string): Promise<string[]> {
    return (await bulkRows<{ id: string }>(this.db, `select id from entities where location_id = ?`, [locationId])).map((r) => r.id);
  }
}

/**
 * DO UPDATE (not DO NOTHING) on purpose: it locks a queued row before it decides, so it waits for
 * a stitcher holding that row's lock, and once that stitcher has deleted the row it inserts it
 * again: no change is missed. `where false`: a row that is queued and not being stitched is left
 * as it is (locked, not rewritten). Its stitch reads whatever is committed by then, and a bulk
 * read queues most entities several times over (bench/RESULTS.md, session 16).
 */
const REQUEUE = 'on conflict (entity_ref) do update set queued_at = excluded.queued_at where false';

/**
 * Marks for stitching the entities named in `refs`, plus the entities with relations whose
 * target is one of `appearedOrGone` (their unresolved-relation status changes).
 */
export async function markForStitch(
  db: Db,
  refs: string[],
  appearedOrGone: string[] = [],
  scope: StitchScope | undefined = currentStitchScope(),
): Promise<void> {
  const unique = [...new Set(refs)];
  const step = WRITE_BATCH * 10;
  for (let i = 0; i < Math.max(unique.length, appearedOrGone.length); i += step) {
    const named = unique.slice(i, i + step);
    const changed = appearedOrGone.slice(i, i + step);
    const candidates = `select entity_ref from entities where entity_ref = any(?::text[])
       union
       select r.source_ref from relations r join entities e on e.entity_ref = r.source_ref where r.target_ref = any(?::text[])`;
    // Work that stitches only what it queued (see StitchScope) needs to know what that was: every
    // candidate, whether its row was inserted or was queued already.
    if (!scope?.collecting) await bulkExec(db, `insert into stitch_queue (entity_ref) ${candidates} ${REQUEUE}`, [named, changed]);
    else {
      const queued = await bulkRows<{ entity_ref: string }>(
        db,
        `with candidates as (${candidates}), queued as (insert into stitch_queue (entity_ref) select entity_ref from candidates ${REQUEUE})
         select entity_ref from candidates`,
        [named, changed],
      );
      scope.add(queued.map((r) => r.entity_ref));
    }
  }
}
