/**
 * The shape of `GET /api/search/query` as the UI reads it (Backstage's search response plus
 * facets and a suggestion). Kept here so the frontend compiles without the backend's code.
 */
export type SearchType = 'software-catalog' | 'techdocs' | 'templates' | (string & {});

export interface SearchDocument {
  title: string;
  text: string;
  /** The app path to open, e.g. `/catalog/default/component/payments`. */
  location: string;
  kind?: string;
  namespace?: string;
  name?: string;
  owner?: string;
  lifecycle?: string;
  tags?: string[];
  entityRef?: string;
}

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

export interface FacetValue {
  value: string;
  count: number;
}

export type FacetName = 'type' | 'kind' | 'owner' | 'lifecycle' | 'tags';

export interface SearchResponse {
  results: SearchResult[];
  nextPageCursor?: string;
  previousPageCursor?: string;
  numberOfResults: number;
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
