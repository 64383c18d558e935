import type { EntityOrder, FilterPredicate, FullTextFilter } from '../../common/index.js';
import { filterCondition, filterCount, filterDriver, joinSql, sql, type Sql } from '../filters/filterQuery.js';
import type { FilterNode } from '../filters/filterNode.js';
import { fullTextCondition } from '../filters/fullText.js';
import { rows, type Db } from '../store/sql.js';
import { encodeCursor, type QueryCursor } from './cursor.js';

/** Everything one by-query page needs, whether it came from parameters or from a cursor. */
export interface EntityQuery {
  filter?: FilterNode;
  /** How the filter was written, echoed into cursors: string filters or a predicate. */
  filterSource?: { filter: string[] } | { query: FilterPredicate };
  fullText?: FullTextFilter;
  orderFields: EntityOrder[];
  limit: number;
  offset?: number;
  cursor?: QueryCursor;
  includeTotal: boolean;
}

/** A page of final entities as JSON text (spliced into the response unparsed). */
export interface EntityPage {
  items: string[];
  totalItems?: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/**
 * Keyset pagination over final entities: ordered by one field's (lower-cased) value then uid,
 * or by uid alone. Entities without the sort field are left out, as in Backstage. The sort
 * drives an index scan of search(key, value, entity_id), so a page costs the same at any depth.
 */
export async function queryEntityPage(
  db: Db,
  q: EntityQuery,
  count: (filter: FilterNode | undefined, fullText: Sql | undefined) => Promise<number> = (f, t) => countEntities(db, f, t),
): Promise<EntityPage> {
  const order = q.orderFields[0];
  const sortKey = order?.field.trim().toLowerCase();
  const dir = order?.order ?? 'asc';
  const isPrevious = q.cursor?.isPrevious ?? false;
  const fetchDir = isPrevious ? (dir === 'asc' ? 'desc' : 'asc') : dir;
  const cmp = fetchDir === 'asc' ? '>' : '<';

  // Phase one picks the page's ids from the narrow index tables only; phase two reads the
  // (wide) final entities of just those ids, so sorting never drags entity JSON along.
  const needsFinal = Boolean(q.fullText?.term);
  // In id order, a filter with a one-value leaf is read from that leaf's search rows, which the
  // index holds in id order: the first page reads its rows and stops. Left to the planner, it
  // walked the id index of all search rows and tested each row's key (585 ms for a page of
  // `kind=component` in a 100k ingest, where the first 25,000 ids were not components).
  const driver = !sortKey && !needsFinal ? filterDriver(q.filter, 's') : undefined;
  const fromSearch = Boolean(sortKey || driver);
  const from = fromSearch ? sql(`search s${needsFinal ? ' join final_entities e on e.entity_id = s.entity_id' : ''}`) : sql('final_entities e');
  const idColumn = fromSearch ? 's.entity_id' : 'e.entity_id';
  const where: Sql[] = sortKey ? [sql('s.key = ? and s.value is not null', sortKey)] : [];
  if (driver) {
    where.push(driver.rows);
    if (driver.rest) where.push(filterCondition(driver.rest, idColumn));
  } else if (q.filter) where.push(filterCondition(q.filter, idColumn));
  const fts = fullTextCondition(q.fullText?.term, q.fullText?.fields);
  if (fts) where.push(fts);
  if (fromSearch && !needsFinal) where.push(sql(`exists (select 1 from final_entities x where x.entity_id = s.entity_id)`));

  let totalItems = q.cursor?.totalItems;
  if (!q.cursor && q.includeTotal) totalItems = await count(q.filter, fts);

  const items: string[] = [];
  let hasMore = false;
  let page: Array<{ id: string; final: string; sort_value: string | null }> = [];
  if (q.limit > 0) {
    if (q.cursor) {
      const values = q.cursor.orderFieldValues;
      if (sortKey) where.push(sql(`(s.value, s.entity_id) ${cmp} (?, ?::uuid)`, values[0], values[values.length - 1]));
      else where.push(sql(`${idColumn} ${cmp} ?::uuid`, values[values.length - 1]));
    }
    const w = where.length ? joinSql(where, ' and ') : sql('true');
    const orderBy = sortKey ? `s.value ${fetchDir}, s.entity_id ${fetchDir}` : `${idColumn} ${fetchDir}`;
    const offset = !q.cursor && q.offset ? q.offset : 0;
    const query = `with page as (
        select ${idColumn} as id, ${sortKey ? 's.value' : 'null::text'} as sort_value from ${from.sql}
        where ${w.sql} order by ${orderBy} limit ? offset ?)
      select p.id, p.sort_value, f.final::text as final from page p join final_entities f on f.entity_id = p.id
      order by ${sortKey ? `p.sort_value ${fetchDir}, ` : ''}p.id ${fetchDir}`;
    const fetched = await rows<{ id: string; final: string; sort_value: string | null }>(db, query, [...from.bindings, ...w.bindings, q.limit + 1, offset]);
    hasMore = fetched.length > q.limit;
    page = fetched.slice(0, q.limit);
    if (isPrevious) page.reverse();
    for (const r of page) items.push(r.final);
  }

  const cursorAt = (row: { id: string; sort_value: string | null }, previous: boolean) =>
    encodeCursor({
      orderFields: q.orderFields,
      orderFieldValues: sortKey ? [row.sort_value, row.id] : [row.id],
      isPrevious: previous,
      ...(q.filterSource ?? {}),
      ...(q.fullText ? { fullTextFilter: q.fullText } : {}),
      ...(totalItems !== undefined ? { totalItems } : {}),
    });
  const pageInfo: EntityPage['pageInfo'] = {};
  const first = page[0];
  const last = page[page.length - 1];
  if (first && last) {
    if (isPrevious) {
      if (hasMore) pageInfo.prevCursor = cursorAt(first, true);
      pageInfo.nextCursor = cursorAt(last, false);
    } else {
      if (hasMore) pageInfo.nextCursor = cursorAt(last, false);
      if (q.cursor || (q.offset ?? 0) > 0) pageInfo.prevCursor = cursorAt(first, true);
    }
  }
  return { items, ...(totalItems !== undefined ? { totalItems } : {}), pageInfo };
}

/** Number of stitched entities matching a filter and full-text condition. */
export async function countEntities(db: Db, filter: FilterNode | undefined, fts: Sql | undefined): Promise<number> {
  let q: Sql;
  if (!fts) q = filterCount(filter);
  else {
    const where = [fts];
    if (filter) where.push(filterCondition(filter, 'e.entity_id'));
    const w = joinSql(where, ' and ');
    q = { sql: `select count(*)::int as count from final_entities e where ${w.sql}`, bindings: w.bindings };
  }
  const [row] = await rows<{ count: number }>(db, q.sql, q.bindings);
  return Number(row?.count ?? 0);
}

/**
 * GET /entities: offset pagination, any number of `order` fields (entities lacking a field
 * sort last), then by entity ref. Returns limit+1 rows at most so the caller can tell if
 * there are more.
 */
export async function listEntityRows(
  db: Db,
  options: { filter?: FilterNode; order: EntityOrder[]; offset: number; limit: number; afterRef?: string },
): Promise<string[]> {
  const where: Sql[] = [sql('exists (select 1 from final_entities x where x.entity_id = e.id)')];
  if (options.filter) where.push(filterCondition(options.filter, 'e.id'));
  if (options.afterRef !== undefined) where.push(sql('e.entity_ref > ?', options.afterRef));
  const w = joinSql(where, ' and ');
  // Sort values are computed in the page query; the outer query keeps that order via row_number.
  const orderParts = options.order.map((o) =>
    sql(
      `(select ${o.order === 'asc' ? 'min' : 'max'}(value) from search where entity_id = e.id and key = ?) ${o.order} nulls last`,
      o.field.trim().toLowerCase(),
    ),
  );
  const orderBy = joinSql([...orderParts, sql('e.entity_ref asc')], ', ');
  const result = await rows<{ final: string }>(
    db,
    `with page as (select e.id, row_number() over (order by ${orderBy.sql}) as rn from entities e where ${w.sql}
                   order by ${orderBy.sql} limit ? offset ?)
     select f.final::text as final from page p join final_entities f on f.entity_id = p.id order by p.rn`,
    [...orderBy.bindings, ...w.bindings, ...orderBy.bindings, options.limit, options.offset],
  );
  return result.map((r) => r.final);
}

/** Final entities by canonical ref, optionally restricted by a filter; null where missing. */
export async function finalEntitiesByRefs(db: Db, refs: string[], filter?: FilterNode): Promise<Map<string, string>> {
  const where: Sql[] = [sql('e.entity_ref = any(?::text[])', refs)];
  if (filter) where.push(filterCondition(filter, 'e.id'));
  const w = joinSql(where, ' and ');
  const result = await rows<{ entity_ref: string; final: string }>(
    db,
    `select e.entity_ref, f.final::text as final from entities e join final_entities f on f.entity_id = e.id where ${w.sql}`,
    w.bindings,
  );
  return new Map(result.map((r) => [r.entity_ref, r.final]));
}

/** Facet counts: each value of each facet key among entities matching the filter, original case kept. */
export type FacetCounts = Record<string, Array<{ value: string; count: number }>>;

export async function entityFacets(db: Db, facets: string[], filter: FilterNode | undefined): Promise<FacetCounts> {
  const out: FacetCounts = {};
  for (const facet of facets) {
    const where: Sql[] = [sql('s.key = ?', facet.trim().toLowerCase()), sql('s.value is not null')];
    if (filter) where.push(filterCondition(filter, 's.entity_id'));
    const w = joinSql(where, ' and ');
    const result = await rows<{ value: string; count: number }>(
      db,
      `select coalesce(s.original_value, s.value) as value, count(*)::int as count from search s where ${w.sql}
       group by 1 order by 2 desc, 1 asc`,
      w.bindings,
    );
    out[facet] = result.map((r) => ({ value: r.value, count: Number(r.count) }));
  }
  return out;
}
