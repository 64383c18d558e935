import { coreServices, createServiceRef, definePlugin, mountRoutes, searchCollatorsServiceRef } from '@atrium/backend-plugin-api';
import { catalogServiceRef, createCatalogSearchCollator } from '@atrium/plugin-catalog/backend';
import { createTemplateSearchCollator } from '@atrium/plugin-scaffolder/backend';
import { Indexer } from './indexer.js';
import { searchMigrations } from './migrations.js';
import { searchOpenApi } from './openapi.js';
import { searchPermissions } from './permissions.js';
import { searchRoutes } from './routes.js';

/** What tests and the bench use on this replica. */
export interface SearchService {
  /** Resolves when no full build is running. */
  idle(): Promise<void>;
  rebuild(type: string): Promise<void>;
}

export const searchServiceRef = createServiceRef<SearchService>('search');

/**
 * One search over every registered document type (catalog entities, templates, docs pages and
 * any plugin's own), in the portal's Postgres: weighted full text, trigram typo tolerance,
 * facets, permission-filtered in SQL, updated by events.
 */
export const searchPlugin = definePlugin<
  unknown,
  { collators: typeof searchCollatorsServiceRef; workload: typeof coreServices.workload },
  SearchService,
  { catalog: typeof catalogServiceRef }
>({
  id: 'search',
  permissions: searchPermissions,
  migrations: searchMigrations,
  deps: { collators: searchCollatorsServiceRef, workload: coreServices.workload },
  // The catalog's own documents (entities and templates) are registered here when it is installed.
  optionalDeps: { catalog: catalogServiceRef },
  openapi: searchOpenApi,
  routes: searchRoutes,
  provides: searchServiceRef,
  setup({ router, db, auth, permissions, audit, logger, lifecycle, instance, deps, optionalDeps }) {
    const indexer = new Indexer(db, logger, instance.replicaId);
    if (optionalDeps.catalog) {
      deps.collators.register(createCatalogSearchCollator(optionalDeps.catalog, logger, deps.workload));
      deps.collators.register(createTemplateSearchCollator(optionalDeps.catalog));
    }
    indexer.attach(deps.collators);
    mountRoutes({ router, auth, permissions }, searchRoutes, { db, indexer, permissions, audit, logger });
    lifecycle.onShutdown(() => indexer.stop());
    return { idle: () => indexer.idle(), rebuild: (type) => indexer.rebuild(type, 'requested') };
  },
});
