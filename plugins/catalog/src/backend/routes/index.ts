import type { RouteDefinition } from '@atrium/backend-plugin-api';
import { analyzeLocation } from './analyzeLocation.js';
import { getEntityAncestry, getEntityByName } from './byName.js';
import { queryEntities, queryEntitiesByPredicate } from './byQuery.js';
import { getEntitiesByRefs } from './byRefs.js';
import { deleteEntityByUid, getEntityByUid } from './byUid.js';
import { listEntities } from './entities.js';
import { getEntityHistory } from './history.js';
import { catalogEventStream } from './eventStream.js';
import { getEntityFacets, queryEntityFacets } from './facets.js';
import { getLocationByEntity, queryLocations } from './locationLookups.js';
import { addLocation, deleteLocation, getLocation, getLocationStatus, listLocations, updateLocation } from './locations.js';
import { clearEntityOverlay, setEntityOverlay } from './overlay.js';
import { listEntityProviders } from './providers.js';
import { refreshEntity } from './refresh.js';
import type { CatalogRouteServices } from './services.js';
import { validateEntity } from './validateEntity.js';

export type { CatalogRouteServices };

/** Every catalog route, in mount order: the plugin definition lists them (OpenAPI) and setup() mounts them. */
export const catalogRoutes: RouteDefinition<CatalogRouteServices>[] = [
  listEntities,
  queryEntities,
  queryEntitiesByPredicate,
  getEntitiesByRefs,
  getEntityByUid,
  deleteEntityByUid,
  getEntityByName,
  getEntityAncestry,
  getEntityHistory,
  setEntityOverlay,
  clearEntityOverlay,
  listLocations,
  queryLocations,
  getLocationByEntity,
  getLocation,
  getLocationStatus,
  addLocation,
  updateLocation,
  deleteLocation,
  getEntityFacets,
  queryEntityFacets,
  refreshEntity,
  validateEntity,
  analyzeLocation,
  listEntityProviders,
  catalogEventStream,
];
