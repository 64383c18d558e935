import type { Knex } from 'knex';

/**
 * The full-text index (`final_entities.fts`) during a bulk stitch.
 *
 * Each stitched entity adds ~100 lexemes to the GIN index. Postgres appends them to the index's
 * pending list, merges that list into the index whenever it outgrows `gin_pending_list_limit`
 * (inside whichever insert crosses the limit), and once more when the table is vacuumed. Full-text
 * queries read the whole pending list, so while a bulk stitch grows it the planner answers them by
 * scanning the table anyway. A stitch that serves more entities than are already served (a first
 * load) therefore drops the index and builds it again once its entities are in: one sorted build
 * instead of appends and merges, ~15 % of a 100k stitch (bench/RESULTS.md, session 20).
 * Full-text queries keep working meanwhile, by scanning the table.
 */
export const FULL_TEXT_INDEX = 'final_entities_fts';

/**
 * The index as the migrations leave it (0009). Kept here so that it can be built again; a test
 * checks that this builds what the migrations build.
 */
const CREATE = `create index if not exists ${FULL_TEXT_INDEX} on final_entities using gin (fts) with (gin_pending_list_limit = 131072)`;

/** Entities a stitch serves, at least, before it drops the index for the duration. */
export const DEFER_FULL_TEXT_INDEX_FROM = 5000;

/** How long dropping the index may wait for queries that hold the table (it is skipped after that). */
const DROP_LOCK_TIMEOUT = '2s';

/**
 * Drops the index for a bulk stitch. Returns false (and leaves it) when it is already gone or
 * when queries held the table for longer than DROP_LOCK_TIMEOUT: a drop waiting for its lock
 * would hold up every query behind it.
 */
export async function dropFullTextIndex(db: Knex): Promise<boolean> {
  try {
    return await db.transaction(async (trx) => {
      await trx.raw(`set local lock_timeout = '${DROP_LOCK_TIMEOUT}'`);
      if (!(await hasFullTextIndex(trx))) return false;
      await trx.raw(`drop index ${FULL_TEXT_INDEX}`);
      return true;
    });
  } catch (e) {
    if ((e as { code?: string }).code === '55P03') return false; // lock_not_available
    throw e;
  }
}

/** Whether the index is there (a stitch that finds it missing builds it when it is done). */
export async function hasFullTextIndex(db: Knex | Knex.Transaction): Promise<boolean> {
  const [found] = (await db.raw(`select to_regclass(?) is not null as found`, [FULL_TEXT_INDEX])).rows as Array<{ found: boolean }>;
  return found?.found === true;
}

/**
 * Builds the index if it is missing: after a bulk stitch, and when the catalog starts (a process
 * that stopped during a bulk stitch left it dropped). Returns true when it built it.
 */
export async function ensureFullTextIndex(db: Knex): Promise<boolean> {
  if (await hasFullTextIndex(db)) return false;
  try {
    await db.raw(CREATE);
  } catch (e) {
    // Another replica built it at the same moment.
    if ((e as { code?: string }).code === '42P07' || (e as { code?: string }).code === '23505') return false;
    throw e;
  }
  return true;
}
