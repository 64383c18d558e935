import type { EventsService } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { CatalogContext } from '../catalogContext.js';

/**
 * What the catalog's route handlers use, passed to mountRoutes by setup(): the catalog's stores
 * and processor, plus the host's event bus (the event stream subscribes to it).
 */
export interface CatalogRouteServices extends CatalogContext {
  bus: EventsService;
}

/** An entity named in the path by `:kind/:namespace/:name`. */
export interface EntityNameParams {
  kind: string;
  namespace: string;
  name: string;
}

/** `catalog.entity.read` on the entity the path names (no lookup: the ref comes from the path). */
export const readNamedEntity = {
  name: 'catalog.entity.read',
  resourceRef: ({ params }: { params: EntityNameParams }) => stringifyEntityRef(params),
};

export const READ_ENTITIES = 'catalog.entity.read';
export const READ_LOCATIONS = 'catalog.location.read';

export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const notFoundReply = (description: string) => ({ '404': { description } });
