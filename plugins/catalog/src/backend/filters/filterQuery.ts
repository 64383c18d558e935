import type { FilterNode } from './filterNode.js';

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

/** Search-row condition (over columns key, value) of a leaf node. */
function leafRowCondition(node: Extract<FilterNode, { op: 'exists' | 'in' | 'prefix' }>): Sql {
  switch (node.op) {
    case 'exists': {
      const alternatives = [sql('key = ?', node.key), ...elementSplits(node.key).map(([k, v]) => sql('(key = ? and value = ?)', k, v))];
      return alternatives.length === 1 ? alternatives[0]! : { ...joinSql(alternatives, ' or '), sql: `(${joinSql(alternatives, ' or ').sql})` };
    }
    case 'in': {
      const main =
        node.values.length === 1
          ? sql('(key = ? and value = ?)', node.key, node.values[0])
          : sql('(key = ? and value = any(?::text[]))', node.key, node.values);
      if (!node.values.includes('true')) return main;
      const alternatives = [main, ...elementSplits(node.key).map(([k, v]) => sql('(key = ? and value = ?)', k, v))];
      return { ...joinSql(alternatives, ' or '), sql: `(${joinSql(alternatives, ' or ').sql})` };
    }
    case 'prefix':
      return sql(`(key = ? and value like ?)`, node.key, `${escapeLike(node.prefix)}%`);
  }
}

const ALL_IDS = 'select entity_id from final_entities';

/** SQL selecting the ids of stitched entities that match `node` (one column). */
export function filterIdSet(node: FilterNode): Sql {
  switch (node.op) {
    case 'all':
      if (node.nodes.length === 0) return sql(ALL_IDS);
      return setOp(node.nodes, 'intersect');
    case 'any':
      if (node.nodes.length === 0) return sql('select null::uuid where false');
      return setOp(node.nodes, 'union');
    case 'not': {
      const inner = filterIdSet(node.node);
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
    const s = filterIdSet(n);
    return { sql: `(${s.sql})`, bindings: s.bindings };
  });
  return joinSql(parts, ` ${op} `);
}

/** A boolean condition on the entity id column `column` (e.g. `e.id`). */
export function filterCondition(node: FilterNode, column: string): Sql {
  switch (node.op) {
    case 'all':
      if (node.nodes.length === 0) return sql('true');
      return wrap(
        joinSql(
          node.nodes.map((n) => filterCondition(n, column)),
          ' and ',
        ),
      );
    case 'any':
      if (node.nodes.length === 0) return sql('false');
      return wrap(
        joinSql(
          node.nodes.map((n) => filterCondition(n, column)),
          ' or ',
        ),
      );
    case 'not': {
      const inner = filterCondition(node.node, column);
      return { sql: `not ${inner.sql}`, bindings: inner.bindings };
    }
    default: {
      const set = filterIdSet(node);
      return { sql: `${column} in (${set.sql})`, bindings: set.bindings };
    }
  }
}

function wrap(s: Sql): Sql {
  return { sql: `(${s.sql})`, bindings: s.bindings };
}

/** Counts matching stitched entities without touching the entities table when it can. */
export function filterCount(node: FilterNode | undefined): Sql {
  if (!node || (node.op === 'all' && node.nodes.length === 0)) return sql(`select count(*)::int as count from final_entities`);
  if (node.op === 'in' && node.values.length === 1 && !node.values.includes('true')) {
    return sql(`select count(*)::int as count from search where key = ? and value = ?`, node.key, node.values[0]);
  }
  const set = filterIdSet(node);
  return { sql: `select count(distinct t.id)::int as count from (${set.sql}) as t(id)`, bindings: set.bindings };
}
