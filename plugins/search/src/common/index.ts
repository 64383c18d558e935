/** Types of `/api/search` shared by the backend and the frontend (Backstage's query shape plus facets). */

export interface SearchResultDocument {
  title: string;
  text: string;
  /** App path to open. */
  location: string;
  kind?: string;
  namespace?: string;
  name?: string;
  owner?: string;
  lifecycle?: string;
  tags?: string[];
  entityRef?: string;
}

export interface SearchResult {
  type: string;
  document: SearchResultDocument;
  /** Safe HTML: text escaped, only `<mark>` added. */
  highlight: { preTag: '<mark>'; postTag: '</mark>'; fields: { title?: string; text?: string } };
  rank: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

export const SEARCH_FACETS = ['kind', 'owner', 'lifecycle', 'tags', 'namespace'] as const;
export type SearchFacet = (typeof SEARCH_FACETS)[number];

export interface SearchQueryResponse {
  results: SearchResult[];
  nextPageCursor?: string;
  previousPageCursor?: string;
  numberOfResults: number;
  /**
   * Present (true) when the query matched more documents than the search ranks and counts exactly
   * (1,000): `numberOfResults` and the facet counts are then lower bounds, taken over the ranked candidates.
   */
  numberOfResultsIsLowerBound?: boolean;
  facets: { type: FacetCount[]; kind: FacetCount[]; owner: FacetCount[]; lifecycle: FacetCount[]; tags: FacetCount[] };
  /** "Did you mean": the term with its unknown words replaced by the closest indexed names. */
  suggestion?: string;
}

export interface SearchTypeStatus {
  type: string;
  title: string;
  version: string;
  state: 'pending' | 'building' | 'ready' | 'failed';
  documents: number;
  progress?: { indexed: number };
  lastBuildStartedAt?: string;
  lastBuildFinishedAt?: string;
  lastBuildDurationMs?: number;
  error?: string;
}

export interface SearchStatusResponse {
  types: SearchTypeStatus[];
  documents: number;
  /** Size of the index table with its indexes (and TOAST), in bytes. */
  indexBytes: number;
  /** How typo tolerance and prefix matching work on this database. */
  fuzzy: 'trigram-array';
}
