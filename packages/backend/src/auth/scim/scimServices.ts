import { coreServices, type ServiceRegistry } from '@atrium/backend-plugin-api';
import type { Express } from 'express';
import type { PluginRuntime } from '../../host/PluginRuntime.js';
import { entityLookupServiceId } from '../../plugins.js';
import type { Scheduler } from '../../services/scheduler.js';
import { AUTH_SCHEMA, authClockRef, hostAuthRef } from '../authServices.js';
import { ScimCatalogSync, type ScimCatalog } from './scimCatalogSync.js';
import { SCIM_PATH, scimRouter } from './scimRouter.js';
import { ScimService } from './scimService.js';
import { ScimStore } from './scimStore.js';

/** How often every SCIM entity is re-applied to the catalog, whatever happened in between (once across replicas). */
export const SCIM_RESYNC_SECONDS = 600;

/**
 * Serves SCIM at `/api/auth/scim/v2` and schedules the periodic catalog re-sync (host job
 * `host.auth.scim-sync`, also run at start, which connects the `atrium-scim` entity provider).
 * Its tables are created by the auth module's migrations (hostAuthRef).
 */
export async function mountScim(
  app: Express,
  deps: { registry: ServiceRegistry; runtimes: ReadonlyMap<string, PluginRuntime>; scheduler: Scheduler; baseUrl: string; maxBodyBytes: number },
): Promise<ScimService> {
  const { registry } = deps;
  // The catalog is a plugin that starts after the host: found when needed, when running.
  const catalog = (): ScimCatalog | undefined => {
    for (const r of deps.runtimes.values()) if (r.plugin.provides?.id === entityLookupServiceId && r.status === 'running') return r.provided as ScimCatalog;
    return undefined;
  };
  const hostAuth = await registry.get(hostAuthRef);
  const [database, clock, rootLogger, audit, permissions] = await Promise.all([
    registry.get(coreServices.database),
    registry.get(authClockRef),
    registry.get(coreServices.rootLogger),
    registry.get(coreServices.audit),
    registry.get(coreServices.permissions),
  ]);
  const logger = rootLogger.child({ module: 'scim' });
  const store = new ScimStore(await database.forSchema(AUTH_SCHEMA), clock);
  const scim = new ScimService(store, new ScimCatalogSync(store, catalog, logger), hostAuth.sessions, hostAuth.tokens, audit, catalog, logger);
  deps.scheduler.forPlugin('host').every('host.auth.scim-sync', { intervalSeconds: SCIM_RESYNC_SECONDS }, async () => {
    await scim.sync.sync();
  });
  app.use(SCIM_PATH, scimRouter({ scim, hostAuth, permissions, logger, baseUrl: deps.baseUrl, maxBodyBytes: deps.maxBodyBytes }));
  return scim;
}
