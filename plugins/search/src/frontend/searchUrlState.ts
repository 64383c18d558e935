import type { SearchRequest } from './api';

/** The search page's state, all of it in the URL: `/search?q=&type=&kind=&owner=&lifecycle=&tag=&cursor=`. */
export interface SearchUrlState {
  q: string;
  type?: string;
  kind?: string;
  owner?: string;
  lifecycle?: string;
  tag?: string;
  cursor?: string;
}

export const FACET_PARAMS = ['kind', 'owner', 'lifecycle', 'tag'] as const;
export type FacetParam = (typeof FACET_PARAMS)[number];

/** The API's facet (and filter) name for each URL parameter. */
export const FACET_OF_PARAM: Record<FacetParam, 'kind' | 'owner' | 'lifecycle' | 'tags'> = {
  kind: 'kind',
  owner: 'owner',
  lifecycle: 'lifecycle',
  tag: 'tags',
};

const KEYS = ['q', 'type', 'kind', 'owner', 'lifecycle', 'tag', 'cursor'] as const;

export function parseSearchUrl(search: URLSearchParams): SearchUrlState {
  const state: SearchUrlState = { q: search.get('q') ?? '' };
  for (const key of KEYS) {
    if (key === 'q') continue;
    const value = search.get(key)?.trim();
    if (value) state[key] = value;
  }
  return state;
}

export function formatSearchUrl(state: SearchUrlState): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state[key];
    if (value) params.set(key, value);
  }
  return params;
}

/**
 * The next state after a change. Anything but a cursor change starts again at the first page,
 * since a cursor belongs to one query.
 */
export function updateSearchState(state: SearchUrlState, change: Partial<SearchUrlState>): SearchUrlState {
  const merged: SearchUrlState = { ...state, ...change, ...('cursor' in change ? {} : { cursor: undefined }) };
  const kept = KEYS.filter((key) => key !== 'q' && merged[key]).map((key) => [key, merged[key]]);
  return { q: merged.q ?? '', ...Object.fromEntries(kept) };
}

/** The API request for a page state. */
export function searchRequestOf(state: SearchUrlState, pageLimit = 25): SearchRequest {
  const filters: Record<string, string> = {};
  for (const param of FACET_PARAMS) {
    const value = state[param];
    if (value) filters[FACET_OF_PARAM[param]] = value;
  }
  return {
    term: state.q.trim(),
    ...(state.type ? { types: [state.type] } : {}),
    filters,
    ...(state.cursor ? { pageCursor: state.cursor } : {}),
    pageLimit,
  };
}
