/**
 * Bulk statements' list parameters (`insert … select * from unnest(…)`), for any database the
 * backend gives a plugin (Postgres or PGlite).
 */
const UNIT = '\u001f';
const NULL_MARK = '\u001e';

/**
 * A `text[]` parameter for bulk statements, as SQL (`string_to_array(?, …)` or `?::text[]`) and
 * its binding. Both drivers turn an array binding into an array literal in JavaScript, quoting
 * and escaping each element, and Postgres parses it back; for the hundreds of thousands of
 * values a bulk stitch writes that costs more than the insert without indexes. Joined with the
 * unit separator (null as the record separator) it is one plain string, split by
 * `string_to_array`. Lists whose values hold either control character (JSON text never does:
 * it escapes them), or a single value (`''` would come back as no element), go as arrays.
 */
export function textArrayParam(values: ReadonlyArray<string | null>): { sql: string; value: string | ReadonlyArray<string | null> } {
  if (values.length > 1 && values.every((v) => v === null || (!v.includes(UNIT) && !v.includes(NULL_MARK)))) {
    return { sql: `string_to_array(?, E'\\x1f', E'\\x1e')`, value: values.map((v) => v ?? NULL_MARK).join(UNIT) };
  }
  return { sql: '?::text[]', value: values };
}

/**
 * `unnest(…)` over columns of equal length, each a text list cast to its SQL type (`uuid`,
 * `text`), with its bindings (see textArrayParam).
 */
export function unnestColumns(columns: ReadonlyArray<readonly [ReadonlyArray<string | null>, 'text' | 'uuid']>): { sql: string; bindings: unknown[] } {
  const parts = columns.map(([values, type]) => {
    const p = textArrayParam(values);
    return { sql: type === 'text' ? p.sql : `${p.sql}::${type}[]`, value: p.value };
  });
  return { sql: `unnest(${parts.map((p) => p.sql).join(', ')})`, bindings: parts.map((p) => p.value) };
}
