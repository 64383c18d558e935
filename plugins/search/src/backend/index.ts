export { searchPlugin, searchServiceRef, type SearchService } from './plugin.js';
export { SEARCH_PERMISSIONS } from './permissions.js';
export * from '../common/index.js';
