import type { EventLogService, EventsService } from '@atrium/backend-plugin-api';
import type { CatalogContext } from '../catalogContext.js';

/**
 * What the catalog's route handlers use, passed to mountRoutes by setup(): the catalog's stores
 * and processor, plus the host's event bus (the event stream subscribes to it).
 */
export interface CatalogRouteServices extends CatalogContext {
  bus: EventsService;
  /** The host's durable event log (entity history, resumable event stream). */
  eventLog?: EventLogService;
}

/** An entity named in the path by `:kind/:namespace/:name`. */
export interface EntityNameParams {
  kind: string;
  namespace: string;
  name: string;
}

export const READ_ENTITIES = 'catalog.entity.read';
export const READ_LOCATIONS = 'catalog.location.read';

export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const notFoundReply = (description: string) => ({ '404': { description } });
