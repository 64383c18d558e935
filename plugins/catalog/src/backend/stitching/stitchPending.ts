import type { Entity, EntityRelation, EntityStatusItem } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import { rows } from '../store/sql.js';
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
 * Rebuilds every entity marked `needs_stitch`, a batch at a time. Each batch is claimed with
 * FOR UPDATE SKIP LOCKED, so replicas share the work; a processing transaction that marks an
 * entity while it is being stitched waits for the row lock and so marks it again afterwards,
 * and the entity is stitched once more with the newer relations. Returns entities whose
 * final content changed (the etag is the hash of the final entity).
 */
export async function stitchPending(db: Knex, options: { signal?: AbortSignal; onBatch?: (changed: StitchedChange[]) => Promise<void> } = {}): Promise<number> {
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) break;
    const result = await db.transaction((trx) => stitchBatch(trx));
    if (result.claimed === 0) break;
    total += result.changed.length;
    if (result.changed.length > 0) await options.onBatch?.(result.changed);
  }
  return total;
}

const T = process.env.CATALOG_TIMING ? (label: string, t0: number) => console.error(label, Math.round(performance.now() - t0)) : () => {};
async function stitchBatch(trx: Knex.Transaction): Promise<{ claimed: number; changed: StitchedChange[] }> {
  let t0 = performance.now();
  const pending = await rows<PendingRow>(
    trx,
    `select id, entity_ref, processed, errors, orphan, etag from entities
     where needs_stitch order by entity_ref limit ? for update skip locked`,
    [BATCH],
  );
  if (pending.length === 0) return { claimed: 0, changed: [] };
  T('claim', t0); t0 = performance.now();
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

  T('read', t0); t0 = performance.now();
  const changed: StitchedChange[] = [];
  const updates: Array<{ id: string; final: string; etag: string; fts: string }> = [];
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
    updates.push({ id: row.id, final: JSON.stringify(final), etag, fts: buildFullTextDocument(final, searchRows) });
    for (const s of searchRows) {
      search.ids.push(row.id);
      search.keys.push(s.key);
      search.values.push(s.value);
      search.originals.push(s.original);
    }
    changed.push({ entityRef: row.entity_ref, uid: row.id });
  }

  T('build', t0); t0 = performance.now();
  if (updates.length > 0) {
    const ids = updates.map((u) => u.id);
    await trx.raw(
      `update entities e set final = u.final::jsonb, etag = u.etag, fts = u.fts::tsvector, needs_stitch = false, updated_at = now()
       from unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) as u(id, final, etag, fts) where e.id = u.id`,
      [ids, updates.map((u) => u.final), updates.map((u) => u.etag), updates.map((u) => u.fts)],
    );
    T('update', t0); t0 = performance.now();
    await trx.raw(`delete from search where entity_id = any(?::uuid[])`, [ids]);
    T('delete', t0); t0 = performance.now();
    await trx.raw(
      `insert into search (entity_id, key, value, original_value) select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[])`,
      [search.ids, search.keys, search.values, search.originals] as unknown as Knex.RawBinding[],
    );
  }
  T('insert', t0); t0 = performance.now();
  await trx.raw(`update entities set needs_stitch = false where id = any(?::uuid[]) and needs_stitch`, [pending.map((p) => p.id)]);
  return { claimed: pending.length, changed };
}
