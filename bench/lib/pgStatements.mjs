// Postgres time per statement over the phases of a bench run, from pg_stat_statements. The
// server must preload it (`shared_preload_libraries = 'pg_stat_statements'`, a restart); the CI
// cluster does not, and then the figures are simply absent. Snapshots are cumulative counters of
// one database; the difference of two is what ran in between.
import { psql } from './db.mjs';

/** Why the statistics cannot be read from this database, or null when they can. */
export function statementsUnavailable(database) {
  try {
    psql('create extension if not exists pg_stat_statements', database);
    psql('select 1 from pg_stat_statements limit 1', database);
    return null;
  } catch (e) {
    const message = String(e.stderr ?? e.message ?? e)
      .trim()
      .split('\n')[0];
    return `pg_stat_statements cannot be read (${message}); the server needs shared_preload_libraries = 'pg_stat_statements'`;
  }
}

/** Every statement of `database` so far: Map queryid → { query, calls, ms, rows }. */
export function statementSnapshot(database) {
  const json = psql(
    `select coalesce(json_agg(json_build_object('id', queryid::text, 'query', left(regexp_replace(query, '\\s+', ' ', 'g'), 200),
       'calls', calls, 'ms', total_exec_time, 'rows', rows)), '[]'::json)
     from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())`,
    database,
  );
  return new Map(JSON.parse(json).map((s) => [s.id, s]));
}

/**
 * What ran between two snapshots, most Postgres time first: { totalMs, top: [{ query, calls, ms,
 * rows }] } with the `limit` largest. Statements first seen in `after` count from zero.
 */
export function statementDiff(before, after, limit = 10) {
  const rows = [];
  for (const [id, s] of after) {
    const b = before.get(id) ?? { calls: 0, ms: 0, rows: 0 };
    const calls = s.calls - b.calls;
    if (calls <= 0) continue;
    rows.push({ query: s.query, calls, ms: Math.round(s.ms - b.ms), rows: s.rows - b.rows });
  }
  rows.sort((x, y) => y.ms - x.ms);
  return { totalMs: rows.reduce((sum, r) => sum + r.ms, 0), top: rows.slice(0, limit) };
}
