export { searchPlugin } from './plugin';
export { SearchLauncher } from './SearchLauncher';
export { SearchPalette, type SearchPaletteProps } from './SearchPalette';
export type { SearchResponse, SearchResult, SearchDocument } from './types';
