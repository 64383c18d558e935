import type { Entity } from '@atrium/catalog-model';
import type { EntityFacetsResponse, FilterPredicate, QueryEntitiesResponse } from '@atrium/plugin-catalog/common';
import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import * as api from '../api/catalogApi';
import { catalogKeys, LIST_REFRESH_MS } from '../api/queries';
import { sortFieldFor, type ColumnSpec } from './columns';
import { explorerPredicate, FACET_FIELDS, facetRequests, type ExplorerState, type FacetKey } from './filterState';

/** Rows per request: a screenful several times over, small enough to come back fast at 100k entities. */
export const PAGE_SIZE = 100;

export type FacetCounts = Partial<Record<FacetKey, Array<{ value: string; count: number }>>>;

/**
 * The entity list for a state: server-side filtered, sorted and cursor-paginated. The total is
 * asked for in a separate request, in parallel: counting every match costs more than finding
 * the first page on a large catalog, and the rows should not wait for it.
 */
export function useExplorerEntities(state: ExplorerState, columns: readonly ColumnSpec[], fields: string[]) {
  const { request, countRequest } = useMemo(() => {
    const { field } = sortFieldFor(columns, state.sort.column);
    const query = explorerPredicate(state);
    const filter = { ...(query ? { query } : {}), ...(state.text ? { fullTextFilter: { term: state.text } } : {}) };
    return {
      request: { ...filter, orderBy: [{ field, order: state.sort.order }], fields, limit: PAGE_SIZE, totalItems: 'exclude' as const },
      // Entities without the sort field are not listed (Backstage's rule), so they are not counted either.
      countRequest: { ...filter, ...withField(query, field), limit: 0, totalItems: 'include' as const },
    };
  }, [state, columns, fields]);

  const query = useInfiniteQuery({
    queryKey: catalogKeys.list(request),
    queryFn: ({ pageParam, signal }): Promise<QueryEntitiesResponse> =>
      pageParam
        ? api.queryEntitiesPage(pageParam, { fields, limit: PAGE_SIZE }, { signal })
        : api.queryEntities(request, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.pageInfo.nextCursor,
    // Keep showing the previous rows while a new filter loads, instead of flashing a spinner.
    placeholderData: keepPreviousData,
    refetchInterval: LIST_REFRESH_MS,
  });

  const count = useQuery({
    queryKey: catalogKeys.query(countRequest),
    queryFn: ({ signal }) => api.queryEntities(countRequest, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: LIST_REFRESH_MS,
  });

  const rows = useMemo<Entity[]>(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  // While a new filter's count is on its way, the old count would be wrong: say nothing instead.
  const totalItems = count.isPlaceholderData ? undefined : count.data?.totalItems;
  return { query, rows, totalItems };
}

function withField(query: FilterPredicate | undefined, field: string): { query?: FilterPredicate } {
  if (field === 'metadata.name') return query ? { query } : {};
  const exists: FilterPredicate = { [field]: { $exists: true } };
  return { query: query ? { $all: [query, exists] } : exists };
}

/** Facets counted as soon as the rows are shown; the others when their filter is opened. */
export const EAGER_FACETS: readonly FacetKey[] = ['kind', 'type', 'lifecycle', 'namespace'];

/**
 * Facet counts for the filter panel, each facet counted under the other filters. On a large
 * catalog counting is the expensive part (every match is grouped), so it waits until the rows
 * are on screen, and the long lists (owners, tags) are counted only once their filter is opened.
 */
export function useExplorerFacets(state: ExplorerState, options: { enabled: boolean; opened: ReadonlySet<FacetKey> }) {
  const keys = useMemo(
    () => [...EAGER_FACETS, ...(['owner', 'tag'] as const).filter((k) => options.opened.has(k))],
    [options.opened],
  );
  const requests = useMemo(() => facetRequests(state, keys), [state, keys]);
  const results = useQueries({
    queries: requests.map((request) => {
      const facets = request.facetKeys.map((key) => FACET_FIELDS[key]);
      return {
        queryKey: catalogKeys.facets(facets, request.query),
        queryFn: ({ signal }: { signal: AbortSignal }): Promise<EntityFacetsResponse> =>
          api.getEntityFacets(facets, request.query, { signal }),
        placeholderData: keepPreviousData,
        refetchInterval: LIST_REFRESH_MS,
        enabled: options.enabled,
      };
    }),
  });
  // Cheap to merge, so no memo: `results` is a new array on every render anyway.
  const counts: FacetCounts = {};
  requests.forEach((request, index) => {
    const data = results[index]?.data;
    if (!data) return;
    for (const key of request.facetKeys) counts[key] = data.facets[FACET_FIELDS[key]] ?? [];
  });
  const error = results.find((r) => r.error)?.error ?? null;
  return { counts, error, isPending: results.some((r) => r.isPending) };
}
