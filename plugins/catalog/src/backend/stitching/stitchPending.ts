import type { Entity, EntityRelation, EntityStatusItem } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import { advanceGeneration } from '../store/generation.js';
import { rows, transactionWithRetry } from '../store/sql.js';
import { buildFinalEntity } from './buildFinalEntity.js';
import { buildFullTextDocument, buildSearchRows } from './searchRows.js';

export interface StitchedChange {
  entityRef: string;
  uid: string;
}

interface PendingRow {
  id: string;
  entity_ref: string;
  processed: Entity;
  errors: EntityStatusItem[];
  orphan: boolean;
  etag: string | null;
}

const BATCH = 500;

/**
 * Rebuilds every entity in stitch_queue, a batch at a time. Each batch is claimed with
 * FOR UPDATE SKIP LOCKED, so replicas share the work. A processing transaction that queues
 * an entity while it is being stitched waits on the queue row's lock and inserts it again
 * once this batch commits, so the entity is stitched once more with the newer relations.
 * Returns the entities whose final content changed (the etag is the hash of the final entity).
 */
export async function stitchPending(
  db: Knex,
  options: { signal?: AbortSignal; onBatch?: (changed: StitchedChange[]) => Promise<void>; workers?: number } = {},
): Promise<number> {
  // Several workers overlap one batch's JSON building with another's writes; SKIP LOCKED keeps
  // their batches disjoint. (On PGlite they simply take turns on the one session.)
  const worker = async () => {
    let total = 0;
    for (;;) {
      if (options.signal?.aborted) break;
      const result = await transactionWithRetry(db, (trx) => stitchBatch(trx));
      if (result.claimed === 0) break;
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

async function stitchBatch(trx: Knex.Transaction): Promise<{ claimed: number; changed: StitchedChange[] }> {
  const claimed = (
    await rows<{ entity_ref: string }>(trx, `select entity_ref from stitch_queue order by entity_ref limit ? for update skip locked`, [BATCH])
  ).map((r) => r.entity_ref);
  if (claimed.length === 0) return { claimed: 0, changed: [] };
  const pending = await rows<PendingRow>(
    trx,
    `select e.id, e.entity_ref, e.processed, e.errors, e.orphan, f.etag
     from entities e left join final_entities f on f.entity_id = e.id where e.entity_ref = any(?::text[])`,
    [claimed],
  );
  const refs = pending.map((p) => p.entity_ref);
  const relationRows = await rows<{ source_ref: string; type: string; target_ref: string }>(
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
    (await rows<{ entity_ref: string }>(trx, `select entity_ref from entities where entity_ref = any(?::text[])`, [[...targets]])).map(
      (r) => r.entity_ref,
    ),
  );

  const changed: StitchedChange[] = [];
  const updates = { ids: [] as string[], finals: [] as string[], etags: [] as string[], fts: [] as string[], previous: [] as boolean[] };
  const search = { ids: [] as string[], keys: [] as string[], values: [] as Array<string | null>, originals: [] as Array<string | null> };
  for (const row of pending) {
    const relations = bySource.get(row.entity_ref) ?? [];
    const final = buildFinalEntity({
      uid: row.id,
      processed: row.processed,
      relations,
      errors: row.errors ?? [],
      orphan: row.orphan,
      unresolvedTargets: relations.filter((r) => !existing.has(r.targetRef)).map((r) => r.targetRef),
    });
    const etag = final.metadata.etag!;
    if (etag === row.etag) continue;
    const searchRows = buildSearchRows(final);
    updates.ids.push(row.id);
    updates.finals.push(JSON.stringify(final));
    updates.etags.push(etag);
    updates.previous.push(row.etag !== null);
    updates.fts.push(buildFullTextDocument(final, searchRows));
    for (const s of searchRows) {
      search.ids.push(row.id);
      search.keys.push(s.key);
      search.values.push(s.value);
      search.originals.push(s.original);
    }
    changed.push({ entityRef: row.entity_ref, uid: row.id });
  }

  if (updates.ids.length > 0) {
    await trx.raw(
      `insert into final_entities (entity_id, final, etag, fts, updated_at)
       select u.id, u.final::json, u.etag, u.fts::tsvector, now() from unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) as u(id, final, etag, fts)
       on conflict (entity_id) do update set final = excluded.final, etag = excluded.etag, fts = excluded.fts, updated_at = now()`,
      [updates.ids, updates.finals, updates.etags, updates.fts],
    );
    // Entities stitched for the first time have no index rows to delete.
    const restitched = updates.ids.filter((_, i) => updates.previous[i]);
    if (restitched.length > 0) await trx.raw(`delete from search where entity_id = any(?::uuid[])`, [restitched]);
    await trx.raw(
      `insert into search (entity_id, key, value, original_value) select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[])`,
      [search.ids, search.keys, search.values, search.originals] as unknown as Knex.RawBinding[],
    );
  }
  await trx.raw(`delete from stitch_queue where entity_ref = any(?::text[])`, [claimed]);
  return { claimed: claimed.length, changed };
}
