import { InputError } from '@atrium/backend-plugin-api';
import type { FilterNode } from './filterNode.js';

/**
 * Parses Backstage's `filter` query parameters. Each parameter is an AND-set of
 * comma-separated conditions; several parameters are OR-ed. A condition is `key=value`
 * (case-insensitive equality; the same key twice in one set means either value) or a bare
 * `key` (the key exists). Whitespace around keys and values is ignored.
 */
export function parseFilterParams(params: string | string[] | undefined): FilterNode | undefined {
  if (params === undefined) return undefined;
  const list = Array.isArray(params) ? params : [params];
  const sets: FilterNode[] = [];
  for (const param of list) {
    if (typeof param !== 'string') throw new InputError('Invalid filter: each filter parameter must be a string');
    const set = parseFilterSet(param);
    if (set) sets.push(set);
  }
  if (sets.length === 0) return undefined;
  return sets.length === 1 ? sets[0] : { op: 'any', nodes: sets };
}

function parseFilterSet(param: string): FilterNode | undefined {
  const byKey = new Map<string, { exists: boolean; values: string[] }>();
  for (const raw of param.split(',')) {
    const statement = raw.trim();
    if (statement === '') continue;
    const eq = statement.indexOf('=');
    const key = (eq === -1 ? statement : statement.slice(0, eq)).trim().toLowerCase();
    if (!key) {
      throw new InputError(
        `Invalid filter "${param}": "${statement}" has no key; write conditions as key=value or key, separated by commas, e.g. filter=kind=component,spec.type=service`,
      );
    }
    if (/\s/.test(key)) {
      throw new InputError(
        `Invalid filter "${param}": the key "${key}" contains whitespace; keys are dot paths like spec.type or metadata.annotations.backstage.io/techdocs-ref`,
      );
    }
    const entry = byKey.get(key) ?? { exists: false, values: [] };
    if (eq === -1) entry.exists = true;
    else
      entry.values.push(
        statement
          .slice(eq + 1)
          .trim()
          .toLowerCase(),
      );
    byKey.set(key, entry);
  }
  const nodes: FilterNode[] = [];
  for (const [key, entry] of byKey) {
    if (entry.values.length > 0) nodes.push({ op: 'in', key, values: [...new Set(entry.values)] });
    else nodes.push({ op: 'exists', key });
  }
  if (nodes.length === 0) return undefined;
  return nodes.length === 1 ? nodes[0] : { op: 'all', nodes };
}

/** Turns a filter object (CatalogService callers, catalog-client style) into the same node. */
export function filterFromObject(filter: Record<string, unknown> | Array<Record<string, unknown>> | undefined): FilterNode | undefined {
  if (filter === undefined) return undefined;
  const sets = (Array.isArray(filter) ? filter : [filter]).map((set) => {
    const nodes: FilterNode[] = [];
    for (const [rawKey, rawValue] of Object.entries(set)) {
      const key = rawKey.trim().toLowerCase();
      const values = (Array.isArray(rawValue) ? rawValue : [rawValue]).filter((v) => typeof v === 'string').map((v) => (v as string).trim().toLowerCase());
      nodes.push(values.length > 0 ? { op: 'in', key, values } : { op: 'exists', key });
    }
    return nodes.length === 1 ? nodes[0]! : ({ op: 'all', nodes } as FilterNode);
  });
  if (sets.length === 0) return undefined;
  return sets.length === 1 ? sets[0] : { op: 'any', nodes: sets };
}
