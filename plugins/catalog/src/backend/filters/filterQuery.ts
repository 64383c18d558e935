import type { FilterNode } from './filterNode.js';
import { simplifyFilter } from './simplify.js';

/** A piece of SQL with its `?` bindings. */
export interface Sql {
  sql: string;
  bindings: unknown[];
}

export function sql(text: string, ...bindings: unknown[]): Sql {
  return { sql: text, bindings };
}

export function joinSql(parts: Sql[], separator: string): Sql {
  return { sql: parts.map((p) => p.sql).join(separator), bindings: parts.flatMap((p) => p.bindings) };
}

/**
 * `a.b.c` may also be written for the array element `c` of `a.b` (Backstage's
 * `metadata.tags.java`): every way of splitting the key at a dot into parent key and value.
 */
function elementSplits(key: string): Array<[string, string]> {
  const splits: Array<[string, string]> = [];
  for (let i = key.indexOf('.'); i !== -1; i = key.indexOf('.', i + 1)) splits.push([key.slice(0, i), key.slice(i + 1)]);
  return splits;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Search-row condition (over columns key, value, or `<alias>.key`, `<alias>.value`) of a leaf node. */
function leafRowCondition(node: Extract<FilterNode, { op: 'exists' | 'in' | 'prefix' }>, alias?: string): Sql {
  const key = alias ? `${alias}.key` : 'key';
  const value = alias ? `${alias}.value` : 'value';
  switch (node.op) {
    case 'exists': {
      const alternatives = [sql(`${key} = ?`, node.key), ...elementSplits(node.key).map(([k, v]) => sql(`(${key} = ? and ${value} = ?)`, k, v))];
      return alternatives.length === 1 ? alternatives[0]! : { ...joinSql(alternatives, ' or '), sql: `(${joinSql(alternatives, ' or ').sql})` };
    }
    case 'in': {
      const main =
        node.values.length === 1
          ? sql(`(${key} = ? and ${value} = ?)`, node.key, node.values[0])
          : sql(`(${key} = ? and ${value} = any(?::text[]))`, node.key, node.values);
      if (!node.values.includes('true')) return main;
      const alternatives = [main, ...elementSplits(node.key).map(([k, v]) => sql(`(${key} = ? and ${value} = ?)`, k, v))];
      return { ...joinSql(alternatives, ' or '), sql: `(${joinSql(alternatives, ' or ').sql})` };
    }
    case 'prefix':
      return sql(`(${key} = ? and ${value} like ?)`, node.key, `${escapeLike(node.prefix)}%`);
  }
}

const ALL_IDS = 'select entity_id from final_entities';

type Leaf = Extract<FilterNode, { op: 'exists' | 'in' | 'prefix' }>;
const isLeaf = (n: FilterNode): n is Leaf => n.op === 'exists' || n.op === 'in' || n.op === 'prefix';

/** `a ∨ b ∨ …` of leaves as one scan of the search table (several OR-ed index conditions). */
function leavesIdSet(leaves: Leaf[]): Sql {
  const conds = joinSql(
    leaves.map((leaf) => leafRowCondition(leaf)),
    ' or ',
  );
  return { sql: `select entity_id from search where ${conds.sql}`, bindings: conds.bindings };
}

/** SQL selecting the ids of stitched entities that match `node` (one column). */
export function filterIdSet(node: FilterNode): Sql {
  return idSet(simplifyFilter(node));
}

function idSet(node: FilterNode): Sql {
  switch (node.op) {
    case 'all':
      if (node.nodes.length === 0) return sql(ALL_IDS);
      return setOp(node.nodes, 'intersect');
    case 'any':
      if (node.nodes.length === 0) return sql('select null::uuid where false');
      if (node.nodes.every(isLeaf)) return leavesIdSet(node.nodes);
      return setOp(node.nodes, 'union');
    case 'not': {
      const inner = idSet(node.node);
      return { sql: `${ALL_IDS} except (${inner.sql})`, bindings: inner.bindings };
    }
    default: {
      const cond = leafRowCondition(node);
      return { sql: `select entity_id from search where ${cond.sql}`, bindings: cond.bindings };
    }
  }
}

function setOp(nodes: FilterNode[], op: 'intersect' | 'union'): Sql {
  const parts = nodes.map((n) => {
    const s = idSet(n);
    return { sql: `(${s.sql})`, bindings: s.bindings };
  });
  return joinSql(parts, ` ${op} `);
}

/**
 * A boolean condition on the entity id column `column` (e.g. `e.id`). ANDed leaves become
 * `column in (…) and column in (…)`, which Postgres turns into semi-joins and orders by their
 * estimated sizes; an OR of leaves becomes one `in` over one scan for the same reason (an OR of
 * `in`s could only be checked row by row).
 */
export function filterCondition(node: FilterNode, column: string): Sql {
  return condition(simplifyFilter(node), column);
}

function condition(node: FilterNode, column: string): Sql {
  switch (node.op) {
    case 'all':
      if (node.nodes.length === 0) return sql('true');
      return wrap(
        joinSql(
          node.nodes.map((n) => condition(n, column)),
          ' and ',
        ),
      );
    case 'any': {
      if (node.nodes.length === 0) return sql('false');
      const leaves = node.nodes.filter(isLeaf);
      const others = node.nodes.filter((n) => !isLeaf(n));
      const parts = others.map((n) => condition(n, column));
      if (leaves.length > 0) {
        const set = leavesIdSet(leaves);
        parts.unshift({ sql: `${column} in (${set.sql})`, bindings: set.bindings });
      }
      return parts.length === 1 ? parts[0]! : wrap(joinSql(parts, ' or '));
    }
    case 'not': {
      const inner = condition(node.node, column);
      return { sql: `not ${inner.sql}`, bindings: inner.bindings };
    }
    default: {
      const set = idSet(node);
      return { sql: `${column} in (${set.sql})`, bindings: set.bindings };
    }
  }
}

function wrap(s: Sql): Sql {
  return { sql: `(${s.sql})`, bindings: s.bindings };
}

/** Keys with one search row per entity: counting their rows counts entities. */
const ONE_ROW_KEYS = new Set(['kind', 'metadata.name', 'metadata.namespace']);

/** The search rows of a leaf that matches at most one row per entity, and the rest of its filter. */
export interface FilterDriver {
  /** Condition over the columns key and value of one search row (`<alias>.key`, `<alias>.value` when given). */
  rows: Sql;
  /** What else an entity must match (absent: nothing). */
  rest?: FilterNode;
}

/**
 * A leaf to read a filter's matches from: `key = value` with one value, which matches at most one
 * search row per entity (an entity's rows are unique by key and value), ANDed with the rest.
 * Kind, name and namespace come first (every entity has exactly one such row). Reading the rows
 * of a driver in index order (key, value, entity_id) gives the matches in id order, so a first
 * page stops after its rows instead of relying on the planner to guess where in the id order
 * the matches are (see queryEntityPage). None when the filter has no such leaf at its top.
 */
export function filterDriver(input: FilterNode | undefined, alias?: string): FilterDriver | undefined {
  const node = input && simplifyFilter(input);
  if (!node) return undefined;
  const drives = (n: FilterNode): n is Extract<FilterNode, { op: 'in' }> => n.op === 'in' && n.values.length === 1 && !n.values.includes('true');
  if (drives(node)) return { rows: leafRowCondition(node, alias) };
  if (node.op !== 'all') return undefined;
  const candidates = node.nodes.filter(drives);
  const driver = candidates.find((n) => ONE_ROW_KEYS.has(n.key)) ?? candidates[0];
  if (!driver) return undefined;
  const others = node.nodes.filter((n) => n !== driver);
  return { rows: leafRowCondition(driver, alias), ...(others.length > 0 ? { rest: { op: 'all', nodes: others } } : {}) };
}

/**
 * Counts matching stitched entities without touching the entities table when it can. An AND
 * is counted from one of its leaves' rows with the other parts as semi-joins, so the planner
 * starts from the smallest set (an INTERSECT would read every set whole).
 */
export function filterCount(input: FilterNode | undefined): Sql {
  const node = input && simplifyFilter(input);
  if (!node || (node.op === 'all' && node.nodes.length === 0)) return sql(`select count(*)::int as count from final_entities`);
  if (node.op === 'any' && node.nodes.length === 0) return sql(`select 0 as count`);
  if (node.op === 'in' && node.values.length === 1 && !node.values.includes('true')) {
    return sql(`select count(*)::int as count from search where key = ? and value = ?`, node.key, node.values[0]);
  }
  if (node.op === 'all') {
    const driver = node.nodes.find((n): n is Extract<FilterNode, { op: 'in' }> => n.op === 'in' && ONE_ROW_KEYS.has(n.key) && !n.values.includes('true'));
    if (driver) {
      const rows = leafRowCondition(driver);
      const rest = condition({ op: 'all', nodes: node.nodes.filter((n) => n !== driver) }, 's.entity_id');
      return {
        sql: `select count(*)::int as count from search s where ${rows.sql} and ${rest.sql}`,
        bindings: [...rows.bindings, ...rest.bindings],
      };
    }
  }
  const set = idSet(node);
  return { sql: `select count(distinct t.id)::int as count from (${set.sql}) as t(id)`, bindings: set.bindings };
}
