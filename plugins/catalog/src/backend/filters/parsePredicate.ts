import { InputError } from '@atrium/backend-plugin-api';
import type { FilterNode } from './filterNode.js';

const MAX_DEPTH = 32;

/**
 * Parses Backstage's filter predicate objects (POST /entities/by-query, /entity-facets,
 * /entities/by-refs `query`): `$all`, `$any`, `$not`, and field matchers — a primitive
 * (case-insensitive equality), `{ $exists }`, `{ $in: [...] }`, `{ $hasPrefix }`,
 * `{ $contains }` (array element, or `{ type, targetRef }` on `relations`).
 */
export function parsePredicate(value: unknown, path = 'query', depth = 0): FilterNode {
  if (depth > MAX_DEPTH) throw new InputError(`Invalid query: nested deeper than ${MAX_DEPTH} levels`);
  if (!isObject(value)) throw new InputError(`Invalid query: ${path} must be an object`);
  const keys = Object.keys(value);
  if (keys.length === 0) return { op: 'all', nodes: [] };
  const nodes: FilterNode[] = [];
  for (const key of keys) {
    const v = value[key];
    const here = `${path}.${key}`;
    if (key === '$all' || key === '$any') {
      if (!Array.isArray(v)) throw new InputError(`Invalid query: ${here} must be an array`);
      nodes.push({ op: key === '$all' ? 'all' : 'any', nodes: v.map((p, i) => parsePredicate(p, `${here}[${i}]`, depth + 1)) });
    } else if (key === '$not') {
      nodes.push({ op: 'not', node: parsePredicate(v, here, depth + 1) });
    } else if (key.startsWith('$')) {
      throw new InputError(`Invalid query: unknown operator ${key} at ${path}; use $all, $any or $not, or a field name`);
    } else {
      nodes.push(parseFieldMatcher(key.trim().toLowerCase(), v, here));
    }
  }
  return nodes.length === 1 ? nodes[0]! : { op: 'all', nodes };
}

function parseFieldMatcher(key: string, v: unknown, path: string): FilterNode {
  if (!key) throw new InputError(`Invalid query: empty field name at ${path}`);
  if (isPrimitive(v)) return { op: 'in', key, values: [String(v).toLowerCase()] };
  if (!isObject(v)) throw new InputError(`Invalid query: ${path} must be a string, number, boolean or an operator object`);
  const ops = Object.keys(v);
  if (ops.length !== 1) throw new InputError(`Invalid query: ${path} must have exactly one operator ($exists, $in, $hasPrefix or $contains)`);
  const op = ops[0]!;
  const arg = v[op];
  switch (op) {
    case '$exists':
      if (typeof arg !== 'boolean') throw new InputError(`Invalid query: ${path}.$exists must be true or false`);
      return arg ? { op: 'exists', key } : { op: 'not', node: { op: 'exists', key } };
    case '$in':
      if (!Array.isArray(arg) || !arg.every(isPrimitive)) {
        throw new InputError(`Invalid query: ${path}.$in must be an array of strings, numbers or booleans`);
      }
      return { op: 'in', key, values: arg.map((a) => String(a).toLowerCase()) };
    case '$hasPrefix':
      if (typeof arg !== 'string') throw new InputError(`Invalid query: ${path}.$hasPrefix must be a string`);
      return { op: 'prefix', key, prefix: arg.toLowerCase() };
    case '$contains':
      return parseContains(key, arg, path);
    default:
      throw new InputError(`Invalid query: unknown operator ${op} at ${path}; use $exists, $in, $hasPrefix or $contains`);
  }
}

function parseContains(key: string, arg: unknown, path: string): FilterNode {
  if (isPrimitive(arg)) return { op: 'in', key, values: [String(arg).toLowerCase()] };
  if (key === 'relations' && isObject(arg) && typeof arg.type === 'string') {
    const relKey = `relations.${arg.type.toLowerCase()}`;
    const target = arg.targetRef;
    if (target === undefined) return { op: 'exists', key: relKey };
    if (typeof target === 'string') return { op: 'in', key: relKey, values: [target.toLowerCase()] };
    if (isObject(target) && Array.isArray(target.$in) && target.$in.every((t) => typeof t === 'string')) {
      return { op: 'in', key: relKey, values: (target.$in as string[]).map((t) => t.toLowerCase()) };
    }
    throw new InputError(`Invalid query: ${path}.$contains.targetRef must be a string or { $in: [strings] }`);
  }
  throw new InputError(`Invalid query: ${path}.$contains must be a string, number or boolean (or { type, targetRef } on relations)`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
