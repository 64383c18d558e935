export { catalogPlugin } from './plugin.js';
export { catalogServiceRef } from './catalogService.js';
export type {
  CatalogService,
  CatalogQueryRequest,
  EntityChange,
  EntityFilterQuery,
  EntityUpsertedEvent,
  EntityRemovedEvent,
  LocationErrorEvent,
} from '../common/index.js';
export { CATALOG_EVENTS, CATALOG_FILTER_EXISTS } from '../common/index.js';
