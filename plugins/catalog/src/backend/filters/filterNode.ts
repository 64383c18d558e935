/**
 * The one filter representation both query styles compile to: Backstage's string filters
 * (`?filter=kind=component,spec.type=service`) and its predicate objects
 * (`{ $all: [{ kind: 'component' }] }`). Keys and values are lower-cased.
 */
export type FilterNode =
  | { op: 'all'; nodes: FilterNode[] }
  | { op: 'any'; nodes: FilterNode[] }
  | { op: 'not'; node: FilterNode }
  /** The key is present (any value). */
  | { op: 'exists'; key: string }
  /** The key has one of these values. */
  | { op: 'in'; key: string; values: string[] }
  /** The key has a value starting with this prefix. */
  | { op: 'prefix'; key: string; prefix: string };

export const MATCH_ALL: FilterNode = { op: 'all', nodes: [] };

export function allOf(nodes: Array<FilterNode | undefined>): FilterNode | undefined {
  const present = nodes.filter((n): n is FilterNode => n !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return { op: 'all', nodes: present };
}
