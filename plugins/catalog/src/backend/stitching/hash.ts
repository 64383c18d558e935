import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal values always give equal text (jsonb reorders keys). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export function hashOf(value: unknown): string {
  return sha1(stableStringify(value));
}

/**
 * Hash of a value's JSON in its own key order: several times cheaper than hashOf. Use it only
 * where equal values always arrive with the same key order (one YAML file read twice, or an
 * entity rebuilt from the same stored JSON), so a different order at most causes one extra write.
 */
export function fastHashOf(value: unknown): string {
  return sha1(JSON.stringify(value) ?? 'null');
}
