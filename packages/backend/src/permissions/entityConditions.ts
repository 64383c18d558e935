import type { Caller } from '@atrium/backend-plugin-api';
import type { OneOrMany, PolicyConditions } from './policyTypes.js';

/** The fields of a catalog entity the conditions read. */
export interface PolicyEntity {
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; tags?: string[] };
  spec?: Record<string, unknown>;
  relations?: Array<{ type: string; targetRef: string }>;
}

/** A compiled condition set: does it hold for this caller and entity? */
export type EntityCondition = (caller: Caller, entity: PolicyEntity) => boolean;

const lower = (v: OneOrMany): string[] => (Array.isArray(v) ? v : [v]).map((s) => s.toLowerCase());

/** `team-a` → `group:<namespace>/team-a`, `user:jdoe` → `user:<namespace>/jdoe`, lower case. */
export function ownerRef(owner: string, namespace: string): string {
  const text = owner.toLowerCase();
  const colon = text.indexOf(':');
  const kind = colon === -1 ? 'group' : text.slice(0, colon);
  const rest = colon === -1 ? text : text.slice(colon + 1);
  return rest.includes('/') ? `${kind}:${rest}` : `${kind}:${namespace}/${rest}`;
}

/** The entity's owners: its ownedBy relations and its spec.owner, canonical and lower case. */
export function ownersOf(entity: PolicyEntity): string[] {
  const owners = (entity.relations ?? []).filter((r) => r.type.toLowerCase() === 'ownedby').map((r) => r.targetRef.toLowerCase());
  const owner = entity.spec?.['owner'];
  if (typeof owner === 'string' && owner) owners.push(ownerRef(owner, (entity.metadata?.namespace ?? 'default').toLowerCase()));
  return owners;
}

/** `key` or `key=value` → a test on a string map (labels, annotations). */
function keyValueTest(values: string[], pick: (e: PolicyEntity) => Record<string, string> | undefined): (e: PolicyEntity) => boolean {
  const pairs = values.map((v) => {
    const eq = v.indexOf('=');
    return eq === -1 ? { key: v, value: undefined } : { key: v.slice(0, eq), value: v.slice(eq + 1) };
  });
  return (e) => {
    const map = pick(e);
    if (!map) return false;
    const entries = new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), String(v).toLowerCase()]));
    return pairs.some(({ key, value }) => entries.has(key) && (value === undefined || entries.get(key) === value));
  };
}

function fieldIn(values: string[], pick: (e: PolicyEntity) => unknown): (e: PolicyEntity) => boolean {
  const set = new Set(values);
  return (e) => {
    const v = pick(e);
    return typeof v === 'string' && set.has(v.toLowerCase());
  };
}

/**
 * Compiles a rule's conditions once (at start) into one function. Values compare case-
 * insensitively; every condition must hold, a list value means any of its items.
 */
export function compileEntityConditions(conditions: PolicyConditions): EntityCondition {
  const tests: Array<(caller: Caller, e: PolicyEntity) => boolean> = [];
  if (conditions.isEntityOwner !== undefined) {
    const want = conditions.isEntityOwner;
    tests.push((caller, e) => {
      const mine = new Set(caller.ownershipEntityRefs.map((r) => r.toLowerCase()));
      return ownersOf(e).some((o) => mine.has(o)) === want;
    });
  }
  const on = (test: (e: PolicyEntity) => boolean) => tests.push((_c, e) => test(e));
  if (conditions.kind !== undefined) on(fieldIn(lower(conditions.kind), (e) => e.kind));
  if (conditions.namespace !== undefined) on(fieldIn(lower(conditions.namespace), (e) => e.metadata?.namespace ?? 'default'));
  if (conditions.type !== undefined) on(fieldIn(lower(conditions.type), (e) => e.spec?.['type']));
  if (conditions.lifecycle !== undefined) on(fieldIn(lower(conditions.lifecycle), (e) => e.spec?.['lifecycle']));
  if (conditions.hasLabel !== undefined) on(keyValueTest(lower(conditions.hasLabel), (e) => e.metadata?.labels));
  if (conditions.hasAnnotation !== undefined) on(keyValueTest(lower(conditions.hasAnnotation), (e) => e.metadata?.annotations));
  if (conditions.hasTag !== undefined) {
    const tags = new Set(lower(conditions.hasTag));
    on((e) => (e.metadata?.tags ?? []).some((t) => tags.has(String(t).toLowerCase())));
  }
  return (caller, entity) => tests.every((t) => t(caller, entity));
}

function keyValuePredicate(field: string, values: string[]): Record<string, unknown> {
  const parts = values.map((v) => {
    const eq = v.indexOf('=');
    return eq === -1 ? { [`${field}.${v}`]: { $exists: true } } : { [`${field}.${v.slice(0, eq)}`]: v.slice(eq + 1) };
  });
  const [only] = parts;
  return parts.length === 1 && only ? only : { $any: parts };
}

/**
 * The same conditions as a catalog filter predicate (the `POST /entities/by-query` language) for
 * one caller: ownership becomes `relations.ownedby` ∈ the caller's ownership refs.
 */
export function conditionsPredicate(conditions: PolicyConditions, caller: Caller): Record<string, unknown> {
  const all: Array<Record<string, unknown>> = [];
  if (conditions.isEntityOwner !== undefined) {
    const owned = { 'relations.ownedby': { $in: caller.ownershipEntityRefs.map((r) => r.toLowerCase()) } };
    all.push(conditions.isEntityOwner ? owned : { $not: owned });
  }
  const inList = (field: string, v: OneOrMany | undefined) => {
    if (v !== undefined) all.push({ [field]: { $in: lower(v) } });
  };
  inList('kind', conditions.kind);
  inList('metadata.namespace', conditions.namespace);
  inList('spec.type', conditions.type);
  inList('spec.lifecycle', conditions.lifecycle);
  if (conditions.hasLabel !== undefined) all.push(keyValuePredicate('metadata.labels', lower(conditions.hasLabel)));
  if (conditions.hasAnnotation !== undefined) all.push(keyValuePredicate('metadata.annotations', lower(conditions.hasAnnotation)));
  inList('metadata.tags', conditions.hasTag);
  const [only] = all;
  return all.length === 1 && only ? only : { $all: all };
}

/** `isEntityOwner`, `kind in [component, api]`, `not isEntityOwner`… for rule descriptions. */
export function describeConditions(conditions: PolicyConditions): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(conditions)) {
    if (name === 'isEntityOwner') out.push(value ? 'isEntityOwner' : 'not isEntityOwner');
    else out.push(Array.isArray(value) ? `${name} in [${value.join(', ')}]` : `${name} = ${String(value)}`);
  }
  return out;
}
