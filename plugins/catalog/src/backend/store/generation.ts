import { rows, type Db } from './sql.js';

/**
 * The catalog's generation: a sequence advanced after every committed change to what the API
 * serves (a stitch batch that changed entities, a removal). Replicas read it to know whether
 * something they computed earlier is still current. It is advanced after the commit, never
 * inside the transaction: a sequence is not transactional, and advancing it earlier would let
 * a reader compute from the old data and file the result under the new generation.
 */
export async function advanceGeneration(db: Db): Promise<void> {
  await db.raw(`select nextval('catalog_generation')`);
  for (const listener of advanced.get(db) ?? []) listener();
}

const advanced = new WeakMap<Db, Set<() => void>>();

/** Calls `listener` each time this process advances the generation of `db`; returns the unsubscribe. */
export function onGenerationAdvanced(db: Db, listener: () => void): () => void {
  let listeners = advanced.get(db);
  if (!listeners) advanced.set(db, (listeners = new Set()));
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function currentGeneration(db: Db): Promise<string> {
  const [row] = await rows<{ generation: string }>(
    db,
    `select last_value::text || (case when is_called then '' else '-' end) as generation from catalog_generation`,
  );
  return row?.generation ?? '';
}
