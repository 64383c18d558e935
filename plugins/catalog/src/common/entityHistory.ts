/**
 * The catalog's durable events (the host's event log, `coreServices.eventLog`) and the compact
 * JSON diff an `updated` event carries. Pure code: the browser uses it for the History tab.
 */
import type { Entity } from '@atrium/catalog-model';

/** Event log topics the catalog appends, in the transaction of the change. */
export const CATALOG_LOG_TOPICS = {
  created: 'catalog.entity.created',
  updated: 'catalog.entity.updated',
  deleted: 'catalog.entity.deleted',
  orphaned: 'catalog.entity.orphaned',
  locationError: 'catalog.location.error',
} as const;
export type CatalogLogTopic = (typeof CATALOG_LOG_TOPICS)[keyof typeof CATALOG_LOG_TOPICS];

/** One changed path: `old` absent = added, `new` absent = removed. Arrays are compared and replaced whole. */
export interface EntityFieldChange {
  path: string[];
  old?: unknown;
  new?: unknown;
}

/** `catalog.entity.created`: the entity as the API serves it. */
export interface EntityCreatedLogPayload {
  entityRef: string;
  uid: string;
  entity: Entity;
}
/** `catalog.entity.updated`: what changed in the served entity (apply with `applyEntityChanges`). */
export interface EntityUpdatedLogPayload {
  entityRef: string;
  uid: string;
  changes: EntityFieldChange[];
}
/** `catalog.entity.deleted` (with the last served entity, when it had one) and `catalog.entity.orphaned`. */
export interface EntityRemovedLogPayload {
  entityRef: string;
  uid: string;
  entity?: Entity;
}
/** `catalog.location.error`. */
export interface LocationErrorLogPayload {
  locationId: string;
  target: string;
  errors: Array<{ message: string; file?: string; line?: number; entityRef?: string; field?: string }>;
}

/** `meta` of the catalog's events: where the entity was read from, and the commit when known. */
export interface EntityLogMeta {
  location?: string;
  commit?: string;
  provider?: string;
  /** One line for people, set by the plugin that recorded the event ("Scorecard x: bronze → silver"). */
  summary?: string;
}

/** One entry of `GET /entities/by-name/:kind/:namespace/:name/history`. */
export interface EntityHistoryItem {
  id: string;
  topic: string;
  createdAt: string;
  actor: string | null;
  meta: EntityLogMeta | null;
  /** For `updated`. */
  changes?: EntityFieldChange[];
}
export interface EntityHistoryPage {
  items: EntityHistoryItem[];
  /** Pass as `before` for older entries; absent at the oldest. */
  nextCursor?: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => k in bo && sameJson(ao[k], bo[k]));
}

/** The changed paths between two JSON values; objects are walked, anything else is a leaf. */
export function diffEntities(before: unknown, after: unknown): EntityFieldChange[] {
  const out: EntityFieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string[]) => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of [...keys].sort()) walk(a[k], b[k], [...path, k]);
      return;
    }
    if (sameJson(a, b)) return;
    const change: EntityFieldChange = { path };
    if (a !== undefined) change.old = a;
    if (b !== undefined) change.new = b;
    out.push(change);
  };
  walk(before, after, []);
  return out;
}

/** Applies `changes` (from `diffEntities(before, after)`) to a copy of `before`, giving `after`. */
export function applyEntityChanges<T>(before: T, changes: readonly EntityFieldChange[]): T {
  const root = JSON.parse(JSON.stringify(before)) as Record<string, unknown>;
  for (const c of changes) {
    if (c.path.length === 0) return (c.new as T) ?? (undefined as T);
    let node: Record<string, unknown> = root;
    for (const key of c.path.slice(0, -1)) {
      if (!isPlainObject(node[key])) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = c.path[c.path.length - 1]!;
    if ('new' in c) node[last] = JSON.parse(JSON.stringify(c.new));
    else Reflect.deleteProperty(node, last);
  }
  return root as T;
}

/** A path for people: `metadata.annotations["backstage.io/source-location"]`. */
export function formatChangePath(path: readonly string[]): string {
  return path.map((p, i) => (/^[A-Za-z_$][\w$]*$/.test(p) ? `${i === 0 ? '' : '.'}${p}` : `[${JSON.stringify(p)}]`)).join('');
}
