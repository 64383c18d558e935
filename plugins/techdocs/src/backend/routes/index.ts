import type { RouteDefinition } from '@atrium/backend-plugin-api';
import { requestDocsBuild } from './builds.js';
import { getDocsEntity, listDocsEntities, listDocsOwners } from './entities.js';
import { searchDocs } from './search.js';
import { getDocsAsset, getDocsMetadata, getDocsPage, getDocsSite } from './sites.js';

import type { TechdocsRouteServices } from './shared.js';

export type { TechdocsRouteServices };

/** Every TechDocs route, in mount order: the plugin definition lists them (OpenAPI) and setup() mounts them. */
export const techdocsRoutes: RouteDefinition<TechdocsRouteServices>[] = [
  listDocsEntities,
  listDocsOwners,
  getDocsEntity,
  requestDocsBuild,
  getDocsSite,
  getDocsPage,
  getDocsAsset,
  getDocsMetadata,
  searchDocs,
];
