import { apiFetch, type QueryValue } from '@atrium/frontend-plugin-api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchResponse } from './types';

export interface SearchRequest {
  term: string;
  types?: string[];
  /** Facet filters: `kind`, `owner`, `lifecycle`, `tags`. Empty values are left out. */
  filters?: Record<string, string | undefined>;
  pageCursor?: string;
  pageLimit?: number;
}

/** The query string of a search request: `term`, repeated `types`, `filters[<name>]`, the cursor. */
export function searchQueryParams(request: SearchRequest): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { term: request.term };
  if (request.types && request.types.length > 0) query['types'] = request.types;
  for (const [name, value] of Object.entries(request.filters ?? {})) {
    if (value) query[`filters[${name}]`] = value;
  }
  if (request.pageCursor) query['pageCursor'] = request.pageCursor;
  if (request.pageLimit) query['pageLimit'] = request.pageLimit;
  return query;
}

export function fetchSearch(request: SearchRequest, signal?: AbortSignal): Promise<SearchResponse> {
  return apiFetch<SearchResponse>('/search/query', { signal, query: searchQueryParams(request) });
}

export const SEARCH_QUERY_KEY = ['search', 'query'] as const;

/**
 * Runs a search while `enabled`. TanStack Query passes each request an AbortSignal and aborts
 * it when the key changes before the answer arrives, so only the latest term's request runs.
 * The previous answer stays on screen while the next one loads.
 */
export function useSearch(request: SearchRequest, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...SEARCH_QUERY_KEY, request],
    queryFn: ({ signal }) => fetchSearch(request, signal),
    enabled: options.enabled ?? true,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    retry: false,
  });
}
