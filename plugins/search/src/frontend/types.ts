import type { FacetCount, SearchResultDocument } from '../common/index.js';

/**
 * The shape of `GET /api/search/query` as the UI reads it: the documents and facet counts are the
 * plugin's common types; highlights and facets are optional here, so the UI also copes with a
 * Backstage-style search backend that sends neither.
 */
export type SearchType = 'software-catalog' | 'techdocs' | 'templates' | (string & {});

export type SearchDocument = SearchResultDocument;

export interface SearchHighlight {
  preTag: string;
  postTag: string;
  fields: { title?: string; text?: string };
}

export interface SearchResult {
  type: SearchType;
  document: SearchDocument;
  highlight?: SearchHighlight;
  rank: number;
}

export type FacetValue = FacetCount;

export type FacetName = 'type' | 'kind' | 'owner' | 'lifecycle' | 'tags';

export interface SearchResponse {
  results: SearchResult[];
  nextPageCursor?: string;
  previousPageCursor?: string;
  numberOfResults: number;
  /** The query matched more than the server counts exactly: `numberOfResults` and facet counts are lower bounds. */
  numberOfResultsIsLowerBound?: boolean;
  facets?: Partial<Record<FacetName, FacetValue[]>>;
  suggestion?: string;
}

/** The document types Atrium indexes, in the order the UI shows them. */
export const KNOWN_TYPES: ReadonlyArray<{ type: SearchType; label: string }> = [
  { type: 'software-catalog', label: 'Catalog' },
  { type: 'techdocs', label: 'Docs' },
  { type: 'templates', label: 'Templates' },
];

export function typeLabel(type: string): string {
  return KNOWN_TYPES.find((t) => t.type === type)?.label ?? type;
}
