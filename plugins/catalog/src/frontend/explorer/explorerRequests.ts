import type { FilterPredicate } from '@atrium/plugin-catalog/common';
import type { QueryEntitiesRequest } from '../api/catalogApi';
import { columnsForKind, fieldsForColumns, sortFieldFor, type ColumnSpec } from './columns';
import { explorerPredicate, parseExplorerState, type ExplorerState } from './filterState';

/** Rows per request: a screenful several times over, small enough to come back fast at 100k entities. */
export const PAGE_SIZE = 100;

/**
 * The two requests behind the explorer's list: the first page (sorted, only the fields the
 * columns show, no total) and the count. Counting every match costs more than finding the
 * first page on a large catalog, so the count is a separate request the rows do not wait for.
 */
export function explorerRequests(
  state: ExplorerState,
  columns: readonly ColumnSpec[],
  fields: string[],
): { page: QueryEntitiesRequest; count: QueryEntitiesRequest } {
  const { field } = sortFieldFor(columns, state.sort.column);
  const query = explorerPredicate(state);
  const filter = { ...(query ? { query } : {}), ...(state.text ? { fullTextFilter: { term: state.text } } : {}) };
  return {
    page: { ...filter, orderBy: [{ field, order: state.sort.order }], fields, limit: PAGE_SIZE, totalItems: 'exclude' },
    // Entities without the sort field are not listed (Backstage's rule), so they are not counted either.
    count: { ...filter, ...withField(query, field), limit: 0, totalItems: 'include' },
  };
}

function withField(query: FilterPredicate | undefined, field: string): { query?: FilterPredicate } {
  if (field === 'metadata.name') return query ? { query } : {};
  const exists: FilterPredicate = { [field]: { $exists: true } };
  return { query: query ? { $all: [query, exists] } : exists };
}

/** The first-page request for an explorer URL, as the page will make it on first render. */
export function firstPageRequestFor(search: string): QueryEntitiesRequest {
  const state = parseExplorerState(new URLSearchParams(search));
  const columns = columnsForKind(state.kind);
  return explorerRequests(state, columns, fieldsForColumns(columns)).page;
}
