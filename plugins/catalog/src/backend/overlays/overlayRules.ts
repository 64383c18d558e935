import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_ORPHAN,
  isValidAnnotationKey,
  isValidAnnotationValue,
  isValidLabelKey,
  isValidLabelValue,
  type Entity,
} from '@atrium/catalog-model';
import type { EntityOverlay, EntityOverlayChanges } from '../../common/index.js';

/**
 * The catalog's own bookkeeping annotations: where an entity comes from (which also decides
 * whether its Users and Groups confer membership) and whether it is an orphan. Only the catalog
 * writes them; an overlay may not.
 */
export const RESERVED_OVERLAY_ANNOTATIONS: ReadonlySet<string> = new Set([ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION, ANNOTATION_ORPHAN]);

/** Keys per call, and characters per value: an overlay is a few tags, not a document store. */
export const MAX_OVERLAY_KEYS = 100;
export const MAX_OVERLAY_VALUE_LENGTH = 4096;

const SOURCE = /^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/;

type Field = 'annotations' | 'labels';
const FIELDS: readonly Field[] = ['annotations', 'labels'];
const singular = (field: Field) => (field === 'annotations' ? 'annotation' : 'label');

/** Why `source` cannot name an overlay (undefined: it can). */
export function overlaySourceProblem(source: unknown): string | undefined {
  if (typeof source !== 'string' || !SOURCE.test(source))
    return `source ${JSON.stringify(source)} must be 1-200 letters, digits or . _ : / @ - (e.g. automation:my-rule), starting with a letter or digit`;
  return undefined;
}

/**
 * Every problem with a change to an overlay, worded for the caller (empty: it is fine). Keys
 * and values follow the catalog model's rules for `metadata.annotations` and `metadata.labels`
 * (Kubernetes style: `[prefix/]name`, a label value at most 63 characters of `[a-zA-Z0-9._-]`).
 */
export function overlayChangeProblems(changes: EntityOverlayChanges): string[] {
  const problems: string[] = [];
  let count = 0;
  for (const field of FIELDS) {
    const map: unknown = changes[field];
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      problems.push(`${field} must be an object of key: value (null to remove)`);
      continue;
    }
    const validKey = field === 'annotations' ? isValidAnnotationKey : isValidLabelKey;
    const validValue = field === 'annotations' ? isValidAnnotationValue : isValidLabelValue;
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      count++;
      const name = `${singular(field)} ${JSON.stringify(key)}`;
      if (!validKey(key)) problems.push(`${name}: not a valid key ([prefix/]name: a DNS subdomain prefix, a name of at most 63 characters of [a-zA-Z0-9._-])`);
      else if (field === 'annotations' && RESERVED_OVERLAY_ANNOTATIONS.has(key)) problems.push(`${name}: only the catalog sets it`);
      if (value === null) continue;
      if (typeof value !== 'string' || !validValue(value)) {
        problems.push(
          `${name}: ${field === 'labels' ? 'the value must be at most 63 characters of [a-zA-Z0-9._-], starting and ending with a letter or digit, or empty' : 'the value must be a string'} (null removes the key)`,
        );
      } else if (value.length > MAX_OVERLAY_VALUE_LENGTH) problems.push(`${name}: the value is longer than ${MAX_OVERLAY_VALUE_LENGTH} characters`);
      else if (value.includes('\u0000')) problems.push(`${name}: the value contains a NUL character`);
    }
  }
  if (count === 0) problems.push('nothing to change: give annotations or labels (a value sets a key, null removes it)');
  if (count > MAX_OVERLAY_KEYS) problems.push(`at most ${MAX_OVERLAY_KEYS} keys per change`);
  return problems;
}

/**
 * Keys of a change the entity's own source (its processed entity) decides: set there to another
 * value, or set there while the change removes them. The source wins, so such a change is refused.
 */
export function sourceConflicts(processed: Entity, changes: EntityOverlayChanges): string[] {
  const out: string[] = [];
  for (const field of FIELDS) {
    const own = processed.metadata[field] ?? {};
    for (const [key, value] of Object.entries(changes[field] ?? {})) {
      if (!Object.hasOwn(own, key) || own[key] === value) continue;
      out.push(
        value === null
          ? `${singular(field)} ${key} cannot be removed: the source sets it`
          : `${singular(field)} ${key} is set to ${JSON.stringify(own[key])} by the source`,
      );
    }
  }
  return out;
}

/** The overlay after a change: values set, `null` keys removed. */
export function applyOverlayChanges(current: Pick<EntityOverlay, Field>, changes: EntityOverlayChanges): Pick<EntityOverlay, Field> {
  const apply = (field: Field): Record<string, string> => {
    const changed = changes[field] ?? {};
    const kept = Object.entries(current[field]).filter(([key]) => !Object.hasOwn(changed, key));
    const set = Object.entries(changed).filter((entry): entry is [string, string] => entry[1] !== null);
    return Object.fromEntries([...kept, ...set]);
  };
  return { annotations: apply('annotations'), labels: apply('labels') };
}

export interface MergedMetadata {
  annotations: Record<string, string> | undefined;
  labels: Record<string, string> | undefined;
  /** One line per overlay key the entity's source sets to another value (not applied). */
  conflicts: string[];
}

/**
 * The served annotations and labels: the processed entity's own, plus each overlay key it does
 * not set. Git (or the provider) stays the source of truth: a key the source sets keeps its
 * value, and an overlay value that differs is reported in `conflicts` (a status warning). Among
 * overlays, the one updated last wins (they come ordered oldest first). Added keys follow the
 * source's own in key order, so the result (and its etag) does not depend on the overlays' order
 * beyond their values.
 */
export function mergeOverlays(own: Entity['metadata'], overlays: readonly EntityOverlay[]): MergedMetadata {
  const conflicts: string[] = [];
  const merged = (field: Field): Record<string, string> | undefined => {
    const base = own[field];
    const added = new Map<string, string>();
    for (const overlay of overlays) {
      for (const [key, value] of Object.entries(overlay[field] ?? {})) {
        if (typeof value !== 'string' || (field === 'annotations' && RESERVED_OVERLAY_ANNOTATIONS.has(key))) continue;
        if (base && Object.hasOwn(base, key)) {
          if (base[key] !== value)
            conflicts.push(
              `${singular(field)} ${key}: ${overlay.source} sets ${JSON.stringify(value)}, the entity's source ${JSON.stringify(base[key])} (the source wins)`,
            );
          continue;
        }
        added.set(key, value);
      }
    }
    if (added.size === 0) return base;
    const out: Record<string, string> = { ...(base ?? {}) };
    for (const [key, value] of [...added].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = value;
    return out;
  };
  return { annotations: merged('annotations'), labels: merged('labels'), conflicts };
}
