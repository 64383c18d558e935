/**
 * A catalog filter predicate (what `permissions.queryConditions` returns for `catalog.entity.read`)
 * compiled to SQL over a document's `filter_fields` (field → lower-cased values), so the index
 * is filtered in the query: pages have no holes and counts are the caller's.
 */

export class UnsupportedPredicateError extends Error {}

export interface SqlFragment {
  sql: string;
  bindings: unknown[];
}

const lower = (v: unknown): string => String(v).toLowerCase();

function matcher(col: string, field: string, value: unknown): SqlFragment {
  const key = field.toLowerCase();
  if (value === null || typeof value !== 'object') {
    return { sql: `${col} @> ?::jsonb`, bindings: [JSON.stringify({ [key]: [lower(value)] })] };
  }
  const v = value as Record<string, unknown>;
  if ('$exists' in v) return { sql: v.$exists ? `coalesce(jsonb_exists(${col}, ?), false)` : `not coalesce(jsonb_exists(${col}, ?), false)`, bindings: [key] };
  if ('$in' in v && Array.isArray(v.$in)) {
    if (v.$in.length === 0) return { sql: 'false', bindings: [] };
    return { sql: `(${v.$in.map(() => `${col} @> ?::jsonb`).join(' or ')})`, bindings: v.$in.map((x) => JSON.stringify({ [key]: [lower(x)] })) };
  }
  if ('$hasPrefix' in v && typeof v.$hasPrefix === 'string') {
    const prefix = lower(v.$hasPrefix).replace(/[\\%_]/g, (c) => `\\${c}`);
    return { sql: `exists (select 1 from jsonb_array_elements_text(${col} -> ?) x where x like ?)`, bindings: [key, `${prefix}%`] };
  }
  if ('$contains' in v && (typeof v.$contains !== 'object' || v.$contains === null)) {
    return { sql: `${col} @> ?::jsonb`, bindings: [JSON.stringify({ [key]: [lower(v.$contains)] })] };
  }
  throw new UnsupportedPredicateError(`search: cannot compile the condition on "${field}" (${JSON.stringify(value)}) to SQL`);
}

export function predicateToSql(predicate: unknown, col: string): SqlFragment {
  if (!predicate || typeof predicate !== 'object' || Array.isArray(predicate)) throw new UnsupportedPredicateError('search: a predicate must be an object');
  const p = predicate as Record<string, unknown>;
  const combine = (parts: unknown[], op: string, empty: string): SqlFragment => {
    if (parts.length === 0) return { sql: empty, bindings: [] };
    const compiled = parts.map((x) => predicateToSql(x, col));
    return { sql: `(${compiled.map((c) => c.sql).join(` ${op} `)})`, bindings: compiled.flatMap((c) => c.bindings) };
  };
  if (Array.isArray(p.$all)) return combine(p.$all, 'and', 'true');
  if (Array.isArray(p.$any)) return combine(p.$any, 'or', 'false');
  if ('$not' in p) {
    const inner = predicateToSql(p.$not, col);
    return { sql: `not coalesce(${inner.sql}, false)`, bindings: inner.bindings };
  }
  const entries = Object.entries(p);
  if (entries.length === 0) return { sql: 'true', bindings: [] };
  const parts = entries.map(([field, value]) => matcher(col, field, value));
  return { sql: `(${parts.map((c) => c.sql).join(' and ')})`, bindings: parts.flatMap((c) => c.bindings) };
}
