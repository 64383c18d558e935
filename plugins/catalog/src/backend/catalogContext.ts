import type { AuditService, AuthService, Logger, PermissionsService } from '@atrium/backend-plugin-api';
import type { EntityValidator } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import type { CatalogSettings } from './config.js';
import type { CatalogEvents } from './orchestration/catalogEvents.js';
import type { EntityChecks } from './orchestration/entityChecks.js';
import type { LocationProcessor } from './orchestration/locationProcessor.js';
import type { EntityProviders } from './providers/entityProviders.js';
import type { EntityLookup } from './query/entityLookup.js';
import type { CatalogAggregates } from './query/catalogAggregates.js';
import type { EntityWriter } from './store/entityWriter.js';
import type { LocationsStore } from './store/locationsStore.js';

/** What the routes and the CatalogService share: stores, processor and services. */
export interface CatalogContext {
  db: Knex;
  settings: CatalogSettings;
  locations: LocationsStore;
  writer: EntityWriter;
  lookup: EntityLookup;
  /** Cached facet counts and query totals. */
  aggregates: CatalogAggregates;
  processor: LocationProcessor;
  /** Entity providers connected in this process, and every provider's status. */
  providers: EntityProviders;
  events: CatalogEvents;
  validator: EntityValidator;
  /** Checks other plugins add to processing (registerEntityCheck). */
  checks: EntityChecks;
  logger: Logger;
  auth: AuthService;
  permissions: PermissionsService;
  audit: AuditService;
}
