import type { FilterNode } from './filterNode.js';

/**
 * Keys every entity has exactly one value of (the envelope guarantees them), so `key ∈ A and
 * key ∈ B` is `key ∈ A ∩ B`, and empty when they share nothing. Other keys (tags, relations,
 * spec fields of custom kinds) may have several rows per entity and are never intersected.
 */
const SINGLE_VALUED_KEYS = new Set(['kind', 'metadata.name', 'metadata.namespace']);

/** Fewer branches than this are distributed over (see distribute). */
const MAX_DISTRIBUTED_BRANCHES = 8;

const TRUE: FilterNode = { op: 'all', nodes: [] };
const FALSE: FilterNode = { op: 'any', nodes: [] };

const isTrue = (n: FilterNode) => n.op === 'all' && n.nodes.length === 0;
const isFalse = (n: FilterNode) => n.op === 'any' && n.nodes.length === 0;

/**
 * Rewrites a filter into an equivalent one the database can plan well. A caller's permission
 * filter is typically "owned by me, or of kind group/user"; ANDed with a request's "kind =
 * component" that reads as `component ∧ (owned ∨ group/user)`, which Postgres can only check row
 * by row over the whole sort order. Distributed and simplified it is `component ∧ owned`, which
 * it answers from the few owned rows. The rewrites:
 * - nested `all`/`any` are flattened, `true`/`false` children folded;
 * - in an `all`, `in` leaves on one single-valued key are intersected (`false` when disjoint);
 * - in an `any`, `in` leaves on one key are merged (their values united);
 * - an `all` with an `any` child is distributed over it when that removes a branch
 *   (a branch that became `false`, or one implied by another);
 * - in an `any`, a branch whose conjuncts include all of another branch's is dropped.
 */
export function simplifyFilter(node: FilterNode): FilterNode {
  switch (node.op) {
    case 'all':
      return simplifyAll(node.nodes.map(simplifyFilter));
    case 'any':
      return simplifyAny(node.nodes.map(simplifyFilter));
    case 'not': {
      const inner = simplifyFilter(node.node);
      if (isTrue(inner)) return FALSE;
      if (isFalse(inner)) return TRUE;
      return inner === node.node ? node : { op: 'not', node: inner };
    }
    default:
      return node;
  }
}

function simplifyAll(children: FilterNode[]): FilterNode {
  const flat: FilterNode[] = [];
  for (const child of children) {
    if (isFalse(child)) return FALSE;
    if (child.op === 'all') flat.push(...child.nodes);
    else flat.push(child);
  }
  const merged = intersectSingleValued(flat);
  if (!merged) return FALSE;
  const nodes = dedupe(merged);
  if (nodes.length === 0) return TRUE;
  if (nodes.length === 1) return nodes[0]!;
  return distribute(nodes) ?? { op: 'all', nodes };
}

function simplifyAny(children: FilterNode[]): FilterNode {
  const flat: FilterNode[] = [];
  for (const child of children) {
    if (isTrue(child)) return TRUE;
    if (child.op === 'any') flat.push(...child.nodes);
    else flat.push(child);
  }
  const nodes = absorb(dedupe(uniteSameKey(flat)));
  if (nodes.length === 1) return nodes[0]!;
  return { op: 'any', nodes };
}

/** `key ∈ A ∧ key ∈ B` → `key ∈ A ∩ B` for single-valued keys; undefined when some key can match nothing. */
function intersectSingleValued(nodes: FilterNode[]): FilterNode[] | undefined {
  const merged = mergeSameKey(
    nodes,
    (n) => SINGLE_VALUED_KEYS.has(n.key),
    (a, b) => a.filter((v) => b.includes(v)),
  );
  return merged.some((n) => n.op === 'in' && n.values.length === 0) ? undefined : merged;
}

/** `key ∈ A ∨ key ∈ B` → `key ∈ A ∪ B` (any key). */
function uniteSameKey(nodes: FilterNode[]): FilterNode[] {
  return mergeSameKey(
    nodes,
    () => true,
    (a, b) => [...new Set([...a, ...b])].sort(),
  );
}

/** Merges the `in` leaves on one key into the first of them (in place, so the order is kept). */
function mergeSameKey(nodes: FilterNode[], eligible: (n: { key: string }) => boolean, combine: (a: string[], b: string[]) => string[]): FilterNode[] {
  const out: FilterNode[] = [];
  const at = new Map<string, number>();
  for (const n of nodes) {
    if (n.op !== 'in' || !eligible(n) || n.values.includes('true')) {
      out.push(n);
      continue;
    }
    const i = at.get(n.key);
    const prior = i === undefined ? undefined : out[i];
    if (i === undefined || prior?.op !== 'in') {
      at.set(n.key, out.length);
      out.push(n);
    } else out[i] = { op: 'in', key: n.key, values: combine(prior.values, n.values) };
  }
  return out;
}

/**
 * `X ∧ (A ∨ B)` → `(X ∧ A) ∨ (X ∧ B)`, only when some branch then folds away; otherwise the
 * original (repeating X in every branch would only cost more). One `any` child at a time.
 */
function distribute(nodes: FilterNode[]): FilterNode | undefined {
  const index = nodes.findIndex((n) => n.op === 'any' && n.nodes.length > 1 && n.nodes.length < MAX_DISTRIBUTED_BRANCHES);
  if (index < 0) return undefined;
  const branches = (nodes[index] as Extract<FilterNode, { op: 'any' }>).nodes;
  const rest = nodes.filter((_, i) => i !== index);
  const distributed = simplifyAny(branches.map((b) => simplifyAll([...rest, b])));
  const remaining = distributed.op === 'any' ? distributed.nodes.length : 1;
  return remaining < branches.length ? distributed : undefined;
}

/** In a disjunction, a branch requiring everything another branch requires (and more) adds nothing. */
function absorb(nodes: FilterNode[]): FilterNode[] {
  const conjuncts = nodes.map((n) => new Set((n.op === 'all' ? n.nodes : [n]).map(keyOf)));
  return nodes.filter((_, i) => {
    const mine = conjuncts[i]!;
    return !conjuncts.some((other, j) => j !== i && isSubset(other, mine) && (other.size < mine.size || j < i));
  });
}

function isSubset(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function dedupe(nodes: FilterNode[]): FilterNode[] {
  const seen = new Set<string>();
  return nodes.filter((n) => {
    const k = keyOf(n);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function keyOf(node: FilterNode): string {
  switch (node.op) {
    case 'all':
    case 'any':
      return `${node.op}(${node.nodes.map(keyOf).sort().join(',')})`;
    case 'not':
      return `not(${keyOf(node.node)})`;
    case 'exists':
      return `exists(${JSON.stringify(node.key)})`;
    case 'in':
      return `in(${JSON.stringify(node.key)},${JSON.stringify([...node.values].sort())})`;
    case 'prefix':
      return `prefix(${JSON.stringify(node.key)},${JSON.stringify(node.prefix)})`;
  }
}
