import { InputError } from '@atrium/backend-plugin-api';

/** Parses `fields=a.b,c` (repeatable, comma-separated) into dot paths; undefined means whole entities. */
export function parseFields(raw: string | string[] | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of list) {
    if (f.split('.').some((part) => part === '')) throw new InputError(`Invalid fields: "${f}" is not a dot path like metadata.name`);
  }
  return list.length > 0 ? list : undefined;
}

/** Keeps only the given dot paths of an object (Backstage's `fields=` projection). */
export function projectFields<T extends object>(value: T, fields: string[] | undefined): T {
  if (!fields) return value;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const parts = field.split('.');
    let src: unknown = value;
    for (const p of parts) {
      if (src === null || typeof src !== 'object' || Array.isArray(src)) {
        src = undefined;
        break;
      }
      src = (src as Record<string, unknown>)[p];
    }
    if (src === undefined) continue;
    let dst = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) dst[p] = src;
      else {
        const next = dst[p];
        if (next === null || typeof next !== 'object' || Array.isArray(next)) dst[p] = {};
        dst = dst[p] as Record<string, unknown>;
      }
    });
  }
  return out as T;
}
