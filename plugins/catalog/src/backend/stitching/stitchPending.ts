import { unnestColumns, type EventLogAppend, type EventLogService } from '@atrium/backend-plugin-api';
import { ANNOTATION_LOCATION, type Entity, type EntityRelation, type EntityStatusItem } from '@atrium/catalog-model';
import { CATALOG_LOG_TOPICS, diffEntities } from '../../common/entityHistory.js';
import type { EntityOverlay } from '../../common/index.js';
import { appendEntityEvents, CATALOG_ACTOR, entityLogMeta } from '../store/entityLog.js';
import type { Knex } from 'knex';
import { advanceGeneration } from '../store/generation.js';
import { bulkExec, bulkRows, transactionWithRetry } from '../store/sql.js';
import { buildFinalEntity } from './buildFinalEntity.js';
import { buildFullTextDocument, buildSearchRows, LEXEME_SEPARATOR, type SearchRow } from './searchRows.js';

export interface StitchedChange {
  entityRef: string;
  uid: string;
}

/** An entity whose final form could not be built or stored; it is taken off the queue with the reason kept. */
export interface StitchFailure {
  entityRef: string;
  message: string;
}

interface PendingRow {
  id: string;
  entity_ref: string;
  processed: Entity;
  errors: EntityStatusItem[];
  orphan: boolean;
  etag: string | null;
  had_stitch_error: boolean;
  /** The served entity before this stitch (null the first time). */
  previous: Entity | null;
  provider: string | null;
  revision: string | null;
  /** Its metadata overlays, oldest first (null: none). */
  overlays: EntityOverlay[] | null;
  /** The automation hop count of an overlay change not yet announced (null: none). */
  overlay_hop: number | null;
}

interface Prepared {
  row: PendingRow;
  entity: Entity;
  final: string;
  etag: string;
  /** The full-text lexemes, joined by LEXEME_SEPARATOR. */
  fts: string;
  search: SearchRow[];
}

interface BatchResult {
  claimed: number;
  changed: StitchedChange[];
  failed: StitchFailure[];
}

const BATCH = 500;

export interface StitchOptions {
  signal?: AbortSignal;
  onBatch?: (changed: StitchedChange[]) => Promise<void>;
  /** Told about every entity that could not be stitched (after its batch committed without it). */
  onFailed?: (failed: StitchFailure[]) => void;
  workers?: number;
  /** Records `catalog.entity.created` / `updated` (with the diff) in each batch's transaction. */
  eventLog?: EventLogService;
  /** Only these queued entities (see StitchScope); every queued entity when absent. */
  refs?: readonly string[];
}

/**
 * Rebuilds every entity in stitch_queue, a batch at a time. Each batch is claimed with
 * FOR UPDATE SKIP LOCKED, so replicas share the work. A processing transaction that queues
 * an entity while it is being stitched waits on the queue row's lock and inserts it again
 * once this batch commits, so the entity is stitched once more with the newer relations.
 * Returns the entities whose final content changed (the etag is the hash of the final entity).
 *
 * One entity must never hold up the rest: when a batch fails because of one entity's data
 * (a Postgres data exception such as a value it cannot store), the batch is stitched again
 * entity by entity, each in its own savepoint; the entities that still fail are taken off
 * the queue with the reason in `entities.stitch_error` (shown on their location's status).
 */
export async function stitchPending(db: Knex, options: StitchOptions = {}): Promise<number> {
  if (options.refs?.length === 0) return 0;
  // Several workers overlap one batch's JSON building with another's writes; SKIP LOCKED keeps
  // their batches disjoint. (On PGlite they simply take turns on the one session.)
  const worker = async () => {
    let total = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      let result: BatchResult;
      try {
        result = await transactionWithRetry(db, (trx) => stitchBatch(trx, false, options.eventLog, options.refs));
      } catch (e) {
        if (!isDataError(e)) throw e;
        result = await transactionWithRetry(db, (trx) => stitchBatch(trx, true, options.eventLog, options.refs));
      }
      if (result.claimed === 0) break;
      if (result.failed.length > 0) options.onFailed?.(result.failed);
      total += result.changed.length;
      if (result.changed.length === 0) continue;
      await advanceGeneration(db);
      await options.onBatch?.(result.changed);
    }
    return total;
  };
  const totals = await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 1) }, worker));
  return totals.reduce((a, b) => a + b, 0);
}

/**
 * A failure caused by the values being written rather than by the database or the connection:
 * SQLSTATE class 22 (data exception, e.g. "invalid byte sequence" for a NUL) or 54 (program
 * limit exceeded, e.g. an index row or a tsvector too large).
 */
export function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

async function stitchBatch(trx: Knex.Transaction, oneByOne: boolean, eventLog?: EventLogService, only?: readonly string[]): Promise<BatchResult> {
  const claimed = (
    only
      ? await bulkRows<{ entity_ref: string }>(
          trx,
          `select entity_ref from stitch_queue where entity_ref = any(?::text[]) order by entity_ref limit ? for update skip locked`,
          [only, BATCH],
        )
      : await bulkRows<{ entity_ref: string }>(trx, `select entity_ref from stitch_queue order by entity_ref limit ? for update skip locked`, [BATCH])
  ).map((r) => r.entity_ref);
  if (claimed.length === 0) return { claimed: 0, changed: [], failed: [] };
  const pending = await bulkRows<PendingRow>(
    trx,
    `select e.id, e.entity_ref, e.processed, e.errors, e.orphan, f.etag, e.stitch_error is not null as had_stitch_error,
       ${eventLog ? 'f.final' : 'null'} as previous, e.provider, l.revision,
       (select json_agg(json_build_object('source', o.source, 'annotations', o.annotations, 'labels', o.labels) order by o.updated_at, o.source)
          from entity_overlays o where o.entity_id = e.id) as overlays,
       (select max(o.pending_hop) from entity_overlays o where o.entity_id = e.id) as overlay_hop
     from entities e left join final_entities f on f.entity_id = e.id left join locations l on l.id = e.location_id
     where e.entity_ref = any(?::text[])`,
    [claimed],
  );
  const refs = pending.map((p) => p.entity_ref);
  const relationRows = await bulkRows<{ source_ref: string; type: string; target_ref: string }>(
    trx,
    `select source_ref, type, target_ref from relations where source_ref = any(?::text[])`,
    [refs],
  );
  const bySource = new Map<string, EntityRelation[]>();
  const targets = new Set<string>();
  for (const r of relationRows) {
    let list = bySource.get(r.source_ref);
    if (!list) bySource.set(r.source_ref, (list = []));
    list.push({ type: r.type, targetRef: r.target_ref });
    targets.add(r.target_ref);
  }
  const existing = new Set(
    (await bulkRows<{ entity_ref: string }>(trx, `select entity_ref from entities where entity_ref = any(?::text[])`, [[...targets]])).map((r) => r.entity_ref),
  );

  const failed: StitchFailure[] = [];
  const prepared: Prepared[] = [];
  /** Entities that had a stitch error and now stitch (or are unchanged): their error is cleared. */
  const recovered: string[] = [];
  for (const row of pending) {
    if (typeof row.previous === 'string') row.previous = JSON.parse(row.previous) as Entity;
    let final: Entity;
    try {
      const relations = bySource.get(row.entity_ref) ?? [];
      final = buildFinalEntity({
        uid: row.id,
        processed: row.processed,
        relations,
        errors: row.errors ?? [],
        orphan: row.orphan,
        unresolvedTargets: relations.filter((r) => !existing.has(r.targetRef)).map((r) => r.targetRef),
        overlays: row.overlays,
      });
    } catch (e) {
      failed.push({ entityRef: row.entity_ref, message: messageOf(e) });
      continue;
    }
    const etag = final.metadata.etag!;
    if (etag === row.etag) {
      if (row.had_stitch_error) recovered.push(row.id);
      continue;
    }
    const search = buildSearchRows(final);
    prepared.push({ row, entity: final, final: JSON.stringify(final), etag, fts: buildFullTextDocument(final, search).join(LEXEME_SEPARATOR), search });
  }

  let stored = prepared;
  if (!oneByOne) await writeFinal(trx, prepared);
  else {
    stored = [];
    for (const p of prepared) {
      try {
        await trx.transaction((savepoint) => writeFinal(savepoint, [p]));
        stored.push(p);
      } catch (e) {
        if (!isDataError(e)) throw e;
        failed.push({ entityRef: p.row.entity_ref, message: messageOf(e) });
      }
    }
  }
  for (const p of stored) if (p.row.had_stitch_error) recovered.push(p.row.id);
  if (eventLog) await appendEntityEvents(eventLog, trx, stored.map(changeEvent));
  // An overlay change's hop count is carried by the event of the stitch that serves it (or by none, if nothing changed).
  const hopped = pending.filter((p) => p.overlay_hop !== null).map((p) => p.id);
  if (hopped.length > 0) await bulkExec(trx, `update entity_overlays set pending_hop = null where entity_id = any(?::uuid[])`, [hopped]);

  if (failed.length > 0) {
    await bulkExec(trx, `update entities e set stitch_error = u.message from unnest(?::text[], ?::text[]) as u(ref, message) where e.entity_ref = u.ref`, [
      failed.map((f) => f.entityRef),
      failed.map((f) => f.message.replaceAll('\u0000', '\uFFFD')),
    ]);
  }
  if (recovered.length > 0) await bulkExec(trx, `update entities set stitch_error = null where id = any(?::uuid[])`, [recovered]);
  await bulkExec(trx, `delete from stitch_queue where entity_ref = any(?::text[])`, [claimed]);
  return { claimed: claimed.length, changed: stored.map((p) => ({ entityRef: p.row.entity_ref, uid: p.row.id })), failed };
}

/** Writes final entities with their full-text documents and filter rows. */
async function writeFinal(trx: Knex.Transaction, prepared: Prepared[]): Promise<void> {
  if (prepared.length === 0) return;
  const ids = prepared.map((p) => p.row.id);
  const rows = unnestColumns([
    [ids, 'uuid'],
    [prepared.map((p) => p.final), 'text'],
    [prepared.map((p) => p.etag), 'text'],
    [prepared.map((p) => p.fts), 'text'],
  ]);
  // The lexemes go as a plain list (array_to_tsvector), not as tsvector text Postgres would parse
  // (~40 % cheaper to take in, bench/RESULTS.md session 16).
  await bulkExec(
    trx,
    `insert into final_entities (entity_id, final, etag, fts, updated_at)
     select u.id, u.final::json, u.etag, array_to_tsvector(string_to_array(u.fts, ?)), now() from ${rows.sql} as u(id, final, etag, fts)
     on conflict (entity_id) do update set final = excluded.final, etag = excluded.etag, fts = excluded.fts, updated_at = now()`,
    [LEXEME_SEPARATOR, ...rows.bindings],
  );
  // Entities stitched for the first time have no index rows to delete.
  const restitched = prepared.filter((p) => p.row.etag !== null).map((p) => p.row.id);
  if (restitched.length > 0) await bulkExec(trx, `delete from search where entity_id = any(?::uuid[])`, [restitched]);
  // In index order (key, value): consecutive rows land on the same pages of search_key_value, which
  // made the insert ~10 % cheaper than entity by entity (bench/RESULTS.md, session 14).
  const flat: Array<{ id: string; row: SearchRow }> = [];
  for (const p of prepared) for (const row of p.search) flat.push({ id: p.row.id, row });
  flat.sort((a, b) => compareText(a.row.key, b.row.key) || compareText(a.row.value ?? '', b.row.value ?? ''));
  const search = { ids: [] as string[], keys: [] as string[], values: [] as Array<string | null>, originals: [] as Array<string | null> };
  for (const { id, row } of flat) {
    search.ids.push(id);
    search.keys.push(row.key);
    search.values.push(row.value);
    search.originals.push(row.original);
  }
  const searchRows = unnestColumns([
    [search.ids, 'uuid'],
    [search.keys, 'text'],
    [search.values, 'text'],
    [search.originals, 'text'],
  ]);
  await bulkExec(trx, `insert into search (entity_id, key, value, original_value) select * from ${searchRows.sql}`, searchRows.bindings);
}

/** `created` with the whole entity the first time, else `updated` with the changed paths. */
function changeEvent(p: Prepared): EventLogAppend {
  const { row, entity } = p;
  const meta = entityLogMeta({ location_ref: entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? null, revision: row.revision, provider: row.provider });
  const hop = row.overlay_hop === null ? {} : { hop: Number(row.overlay_hop) };
  const base = { entityRef: row.entity_ref, actor: CATALOG_ACTOR, ...(meta || row.overlay_hop !== null ? { meta: { ...meta, ...hop } } : {}) };
  if (row.etag === null || row.previous === null) {
    return { ...base, topic: CATALOG_LOG_TOPICS.created, payload: { entityRef: row.entity_ref, uid: row.id, entity } };
  }
  return { ...base, topic: CATALOG_LOG_TOPICS.updated, payload: { entityRef: row.entity_ref, uid: row.id, changes: diffEntities(row.previous, entity) } };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
