import type { Db } from '@atrium/backend-plugin-api';

/** A table is analyzed again once it has this much more than when its statistics were taken. */
const GROWTH = 1.2;
/** Tables smaller than this many pages are not worth analyzing on their own. */
const MIN_PAGES = 8;

/**
 * Analyzes those of `tables` (in the connection's schema) that have grown by a fifth or more in
 * pages since their statistics were last taken (`pg_class.relpages`, which ANALYZE and VACUUM set):
 * what autovacuum does on a Postgres server, for the embedded database, which has none. Checking
 * costs one catalog lookup per table. Returns the tables analyzed.
 */
export async function analyzeGrownTables(db: Db, tables: readonly string[]): Promise<string[]> {
  const rows = (
    (await db.raw(
      `select t.name, c.relpages, pg_relation_size(c.oid) / current_setting('block_size')::int as pages
         from unnest(?::text[]) as t(name) join pg_class c on c.oid = to_regclass(t.name)`,
      [[...tables]],
    )) as { rows: Array<{ name: string; relpages: number | string; pages: number | string }> }
  ).rows;
  const grown = rows.filter((r) => Number(r.pages) >= MIN_PAGES && Number(r.pages) > Number(r.relpages) * GROWTH).map((r) => r.name);
  // The names are the caller's constants, checked against the catalog above; never user input.
  for (const table of grown) await db.raw(`analyze ${table}`);
  return grown;
}
