import { ANNOTATION_ORIGIN_LOCATION } from '@atrium/catalog-model';
import type { FilterPredicate } from '@atrium/plugin-catalog/common';

/**
 * The explorer's filter state and its two encodings: the URL query string (so a filtered view
 * is a shareable link and the back button works) and the catalog's filter predicate (so all
 * filtering happens on the server). Pure functions only; the page wires them to the router.
 */

/** Filters that accept several values: any of the values matches (OR); different filters AND. */
export const MULTI_FILTER_KEYS = ['type', 'owner', 'lifecycle', 'tag', 'namespace'] as const;
export type MultiFilterKey = (typeof MULTI_FILTER_KEYS)[number];
export type FacetKey = 'kind' | MultiFilterKey;

/** `kind=all` in the URL lists every kind. */
export const ALL_KINDS = 'all';
export const DEFAULT_KIND = 'component';
export const DEFAULT_SORT: SortState = { column: 'name', order: 'asc' };

export interface SortState {
  /** A column id from `columns.ts`. */
  column: string;
  order: 'asc' | 'desc';
}

export interface ExplorerState {
  /** Lower-cased kind, or `all`. */
  kind: string;
  filters: Record<MultiFilterKey, string[]>;
  /** Free text, matched as word prefixes anywhere in the entity. */
  text: string;
  sort: SortState;
  /** A location ref (`type:target`): only entities read from that registered location. */
  location?: string;
}

/** The entity field each facet counts and filters on. */
export const FACET_FIELDS: Record<FacetKey, string> = {
  kind: 'kind',
  type: 'spec.type',
  owner: 'relations.ownedBy',
  lifecycle: 'spec.lifecycle',
  tag: 'metadata.tags',
  namespace: 'metadata.namespace',
};

const LOCATION_FIELD = `metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`;

export function emptyFilters(): Record<MultiFilterKey, string[]> {
  return { type: [], owner: [], lifecycle: [], tag: [], namespace: [] };
}

export function defaultExplorerState(): ExplorerState {
  return { kind: DEFAULT_KIND, filters: emptyFilters(), text: '', sort: DEFAULT_SORT };
}

/** Reads the state from a query string; unknown parameters are ignored, malformed ones fall back to defaults. */
export function parseExplorerState(params: URLSearchParams): ExplorerState {
  const filters = emptyFilters();
  for (const key of MULTI_FILTER_KEYS) {
    const values = params
      .getAll(key)
      .map((v) => v.trim())
      .filter((v) => v !== '');
    // Owner refs and kinds are case-insensitive in the catalog; lower-case them so equal filters share a URL.
    filters[key] = unique(key === 'owner' ? values.map((v) => v.toLowerCase()) : values);
  }
  const kind = (params.get('kind') ?? '').trim().toLowerCase() || DEFAULT_KIND;
  const location = params.get('location')?.trim();
  return {
    kind,
    filters,
    text: (params.get('q') ?? '').trim(),
    sort: parseSort(params.get('sort')),
    ...(location ? { location } : {}),
  };
}

/** The query string for a state, leaving out defaults so the plain explorer URL stays `/catalog`. */
export function serializeExplorerState(state: ExplorerState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.kind !== DEFAULT_KIND) params.set('kind', state.kind);
  for (const key of MULTI_FILTER_KEYS) {
    for (const value of state.filters[key]) params.append(key, value);
  }
  if (state.text.trim() !== '') params.set('q', state.text.trim());
  if (state.location) params.set('location', state.location);
  if (state.sort.column !== DEFAULT_SORT.column || state.sort.order !== DEFAULT_SORT.order) {
    params.set('sort', `${state.sort.order === 'desc' ? '-' : ''}${state.sort.column}`);
  }
  return params;
}

function parseSort(raw: string | null): SortState {
  const value = raw?.trim();
  if (!value) return DEFAULT_SORT;
  const desc = value.startsWith('-');
  const column = desc ? value.slice(1) : value;
  return /^[a-z][a-zA-Z0-9]*$/.test(column) ? { column, order: desc ? 'desc' : 'asc' } : DEFAULT_SORT;
}

/** Switching kind drops the type filter (types differ per kind); the rest stays. */
export function withKind(state: ExplorerState, kind: string): ExplorerState {
  if (kind === state.kind) return state;
  return { ...state, kind, filters: { ...state.filters, type: [] } };
}

export function withFilter(state: ExplorerState, key: MultiFilterKey, values: string[]): ExplorerState {
  return { ...state, filters: { ...state.filters, [key]: unique(values) } };
}

/** Clears every filter and the text, keeping the kind and sort. */
export function clearedFilters(state: ExplorerState): ExplorerState {
  const { location: _location, ...rest } = state;
  return { ...rest, filters: emptyFilters(), text: '' };
}

export function activeFilterCount(state: ExplorerState): number {
  return MULTI_FILTER_KEYS.reduce((sum, key) => sum + state.filters[key].length, 0) + (state.text ? 1 : 0) + (state.location ? 1 : 0);
}

/**
 * The server-side predicate for a state. `exclude` leaves one facet's own selection out, which
 * is what that facet's counts are computed under (so selecting `service` still shows how many
 * `website`s there are). Undefined when nothing is filtered.
 */
export function explorerPredicate(state: ExplorerState, exclude?: FacetKey): FilterPredicate | undefined {
  const parts: FilterPredicate[] = [];
  if (state.kind !== ALL_KINDS && exclude !== 'kind') parts.push({ kind: state.kind });
  for (const key of MULTI_FILTER_KEYS) {
    const values = state.filters[key];
    if (values.length === 0 || key === exclude) continue;
    parts.push(filterPredicate(key, values));
  }
  if (state.location) parts.push({ [LOCATION_FIELD]: state.location });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { $all: parts };
}

function filterPredicate(key: MultiFilterKey, values: string[]): FilterPredicate {
  switch (key) {
    case 'owner':
      return { relations: { $contains: { type: 'ownedBy', targetRef: { $in: values } } } };
    case 'tag': {
      const each = values.map((tag): FilterPredicate => ({ [FACET_FIELDS.tag]: { $contains: tag } }));
      return each.length === 1 ? each[0]! : { $any: each };
    }
    default:
      return values.length === 1 ? { [FACET_FIELDS[key]]: values[0]! } : { [FACET_FIELDS[key]]: { $in: values } };
  }
}

export interface FacetRequest {
  facetKeys: FacetKey[];
  query: FilterPredicate | undefined;
}

/**
 * The facet-count requests for a state: each facet is counted under every filter except its
 * own. Facets without a selection share a query, so a typical view needs two requests.
 */
export function facetRequests(state: ExplorerState, facetKeys: readonly FacetKey[] = ['kind', ...MULTI_FILTER_KEYS]): FacetRequest[] {
  const byQuery = new Map<string, FacetRequest>();
  for (const key of facetKeys) {
    const selected = key === 'kind' ? state.kind !== ALL_KINDS : state.filters[key].length > 0;
    const query = explorerPredicate(state, selected ? key : undefined);
    const id = JSON.stringify(query ?? null);
    const request = byQuery.get(id);
    if (request) request.facetKeys.push(key);
    else byQuery.set(id, { facetKeys: [key], query });
  }
  return [...byQuery.values()];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
