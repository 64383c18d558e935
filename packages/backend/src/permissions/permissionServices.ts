import { coreServices, createCoreServiceRef, createServiceFactory, type BackendPlugin, type ServiceFactory } from '@atrium/backend-plugin-api';
import type { PluginRuntime } from '../host/PluginRuntime.js';
import { entityLookupServiceId } from '../plugins.js';
import { PermissionEngine, type CatalogFinder } from './permissionEngine.js';
import { createPolicyPermissions } from './policyPermissions.js';

/** The host's permission engine (catalogue, policy, explain); not replaceable. */
export const permissionEngineRef = createCoreServiceRef<PermissionEngine, 'root'>({ id: 'host.permissionEngine', scope: 'root' });

/**
 * The permission engine and the host's default `coreServices.permissions`: the policy in
 * `permission.policy` (validated when the engine is built), allow-all without one.
 */
export function permissionServiceFactories(plugins: readonly BackendPlugin[], runtimes: ReadonlyMap<string, PluginRuntime>): ServiceFactory[] {
  // The catalog starts after the root services: found per request, when running.
  const catalog: CatalogFinder = () => {
    for (const r of runtimes.values())
      if (r.plugin.provides?.id === entityLookupServiceId && r.status === 'running') return r.provided as ReturnType<CatalogFinder>;
    return undefined;
  };
  return [
    createServiceFactory(permissionEngineRef, async ({ get }) => PermissionEngine.create(plugins, await get(coreServices.rootConfig), catalog)),
    createServiceFactory(coreServices.permissions, async ({ get }) => {
      const engine = await get(permissionEngineRef);
      return createPolicyPermissions({
        evaluator: () => engine.evaluator,
        findEntities: (refs) => engine.findEntities(refs),
        audit: await get(coreServices.audit),
      });
    }),
  ];
}
