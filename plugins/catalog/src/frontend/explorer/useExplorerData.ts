import type { Entity } from '@atrium/catalog-model';
import type { EntityFacetsResponse, QueryEntitiesResponse } from '@atrium/plugin-catalog/common';
import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import * as api from '../api/catalogApi';
import { catalogKeys, LIST_REFRESH_MS } from '../api/queries';
import type { ColumnSpec } from './columns';
import { explorerRequests, PAGE_SIZE } from './explorerRequests';
import { FACET_FIELDS, facetRequests, type ExplorerState, type FacetKey } from './filterState';
import { takePrefetchedList } from './listPrefetch';

export type FacetCounts = Partial<Record<FacetKey, Array<{ value: string; count: number }>>>;

/** The entity list for a state (server-side filtered, sorted, cursor-paginated) and its count. */
export function useExplorerEntities(state: ExplorerState, columns: readonly ColumnSpec[], fields: string[]) {
  const { page: request, count: countRequest } = useMemo(() => explorerRequests(state, columns, fields), [state, columns, fields]);

  const query = useInfiniteQuery({
    queryKey: catalogKeys.list(request),
    queryFn: ({ pageParam, signal }): Promise<QueryEntitiesResponse> =>
      pageParam
        ? api.queryEntitiesPage(pageParam, { fields, limit: PAGE_SIZE }, { signal })
        : (takePrefetchedList(request) ?? api.queryEntities(request, { signal })),
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

/** Facets counted as soon as the rows are shown; the others when their filter is opened. */
export const EAGER_FACETS: readonly FacetKey[] = ['kind', 'type', 'lifecycle', 'namespace'];

/**
 * Facet counts for the filter panel, each facet counted under the other filters. On a large
 * catalog counting is the expensive part (every match is grouped), so it waits until the rows
 * are on screen, and the long lists (owners, tags) are counted only once their filter is opened.
 */
export function useExplorerFacets(state: ExplorerState, options: { enabled: boolean; opened: ReadonlySet<FacetKey> }) {
  const keys = useMemo(() => [...EAGER_FACETS, ...(['owner', 'tag'] as const).filter((k) => options.opened.has(k))], [options.opened]);
  const requests = useMemo(() => facetRequests(state, keys), [state, keys]);
  const results = useQueries({
    queries: requests.map((request) => {
      const facets = request.facetKeys.map((key) => FACET_FIELDS[key]);
      return {
        queryKey: catalogKeys.facets(facets, request.query),
        queryFn: ({ signal }: { signal: AbortSignal }): Promise<EntityFacetsResponse> => api.getEntityFacets(facets, request.query, { signal }),
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
