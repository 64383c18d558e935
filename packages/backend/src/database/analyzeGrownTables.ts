import type { Knex } from 'knex';

/** A table is analyzed again once it has this much more than when its statistics were taken. */
const GROWTH = 1.2;
/** Tables smaller than this many pages are not worth analyzing on their own. */
const MIN_PAGES = 8;

/**
 * Analyzes every table of the plugins' and the host's schemas that has grown by a fifth or more in
 * pages since its statistics were last taken (`pg_class.relpages`, which ANALYZE and VACUUM set):
 * what autovacuum does on a Postgres server, for the embedded database, which has none. Without it
 * a table keeps the statistics of its first rows: at 10,000 waiting template runs, "Waiting for
 * me" planned for 2 rows and sorted all 5,000 matches (twice as slow, bench/waiting-tasks.mjs).
 * Checking is one catalog query. Returns the tables analyzed (`schema.table`).
 */
export async function analyzeGrownTables(knex: Knex): Promise<string[]> {
  const rows = (
    (await knex.raw(
      `select format('%I.%I', n.nspname, c.relname) as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind = 'r' and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
          and pg_relation_size(c.oid) / current_setting('block_size')::int >= ?::int
          and pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * ?::float8
        order by 1`,
      [MIN_PAGES, GROWTH],
    )) as { rows: Array<{ name: string }> }
  ).rows;
  // Names come from the catalog, quoted by format('%I'); nothing here is user input.
  for (const { name } of rows) await knex.raw(`analyze ${name}`);
  return rows.map((r) => r.name);
}
