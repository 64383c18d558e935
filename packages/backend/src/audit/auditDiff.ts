import { canonicalJson, jsonRoundTrip, sha256Hex } from './canonicalJson.js';

/** Up to this many characters of canonical JSON (before + after) a diff is kept; above, digests. */
export const SMALL_DIFF_CHARS = 4096;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * What the audit row keeps of a change: for small values the changed top-level fields (objects)
 * or both values; for larger ones the sha256 digest of each side's canonical JSON.
 */
export function auditDiff(before: unknown, after: unknown): unknown {
  if (before === undefined && after === undefined) return null;
  const b = before === undefined ? undefined : canonicalJson(before);
  const a = after === undefined ? undefined : canonicalJson(after);
  if ((b?.length ?? 0) + (a?.length ?? 0) > SMALL_DIFF_CHARS) {
    return { beforeDigest: b === undefined ? null : `sha256:${sha256Hex(b)}`, afterDigest: a === undefined ? null : `sha256:${sha256Hex(a)}` };
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      if (canonicalJson(before[key] ?? null) !== canonicalJson(after[key] ?? null)) {
        changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
      }
    }
    return jsonRoundTrip({ changes });
  }
  return jsonRoundTrip({ before: before ?? null, after: after ?? null });
}
