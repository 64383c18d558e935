import { formatPath, isPlainObject, type PathSegment } from './fieldPaths.js';

/**
 * NUL (U+0000) is the one character Postgres cannot store in text: a descriptor may carry it
 * through a YAML or JSON escape (`"a\u0000b"`) even though the raw byte is refused. Such a
 * value is refused where it is read, with the field named, so it never reaches the store.
 */
export const NUL = '\u0000';

/** The path of the first key or string value holding a NUL character (`''` for the value itself), or undefined. */
export function findNul(value: unknown, path: PathSegment[] = []): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? formatPath(path) : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (key.includes(NUL)) return formatPath([...path, key.replaceAll(NUL, '\\u0000')]);
      const found = findNul(value[key], [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The message for a value refused by findNul. */
export function nulMessage(where: string): string {
  return `${where || 'The value'} contains a NUL character (\\u0000), which the catalog cannot store; remove it`;
}

/**
 * JSON text of a value with every NUL in its strings replaced by U+FFFD, for the jsonb columns
 * (error lists), which refuse `\u0000` outright: a report about bad input must never fail to save.
 */
export function jsonWithoutNul(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.includes(NUL) ? v.replaceAll(NUL, '\uFFFD') : v));
}
