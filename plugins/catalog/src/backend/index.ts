export { catalogPlugin } from './plugin.js';
export { catalogServiceRef } from './catalogService.js';
export type {
  CatalogService,
  CatalogQueryRequest,
  DeferredEntity,
  EntityChange,
  EntityCheck,
  EntityCheckProblem,
  EntityCheckRegistration,
  EntityOverlay,
  EntityOverlayChanges,
  EntityOverlayOptions,
  EntityOverlayResult,
  EntityFilterQuery,
  EntityProvider,
  EntityProviderConnection,
  EntityProviderMutation,
  EntityProviderMutationResult,
  EntityProviderStatus,
  EntityUpsertedEvent,
  EntityRemovedEvent,
  LocationErrorEvent,
} from '../common/index.js';
export { catalogEntityRemoved, catalogEntityUpserted, catalogLocationError, CATALOG_FILTER_EXISTS, ENTITY_STATUS_OVERLAY_TYPE } from '../common/index.js';
// Offline validation (`atrium validate`) reads descriptor files with the catalog's own reader.
export { readLocation } from './ingestion/index.js';
export type { IngestionError, IngestedEntity, LocationReadResult } from './ingestion/index.js';
export { createCatalogSearchCollator, entityToSearchDocument } from './search/collator.js';
