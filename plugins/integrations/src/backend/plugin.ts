import { definePlugin, InputError, mountRoutes, type RouteDefinition } from '@atrium/backend-plugin-api';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { scaffolderActionsRef } from '@atrium/plugin-scaffolder/backend';
import { assertOutboundAllowed, ReadError, sourcesServiceRef } from '@atrium/source-readers';
import { integrationsConfigSchema, type IntegrationsConfig } from './config.js';
import { githubModule } from './github/module.js';
import { gitlabMigrations } from './gitlab/migrations.js';
import { gitlabModule } from './gitlab/module.js';
import { ldapModule } from './ldap/module.js';
import { integrationsMigrations } from './migrations.js';
import type { IntegrationModule, IntegrationModuleRuntime, IntegrationRouteServices } from './modules.js';
import { integrationsOpenApi } from './openapi.js';
import { integrationsPermissions } from './permissions.js';
import { entityScmRoutes } from './routes/entityScm.js';
import { integrationRoutes } from './routes/integrations.js';
import { EntityScmService } from './scm/entityScm.js';
import { loadSecretBox } from './secretBox.js';
import { IntegrationStore } from './store.js';

/**
 * The installed modules, one per source (GitHub, GitLab, LDAP, ...). Adding one is one line here:
 * its routes join the plugin's, and it is started with the shared context (catalog, secrets, store).
 */
export const integrationModules: IntegrationModule[] = [githubModule, gitlabModule, ldapModule];

const routes: RouteDefinition<IntegrationRouteServices>[] = [...integrationRoutes, ...entityScmRoutes, ...integrationModules.flatMap((m) => m.routes ?? [])];

/** Source-control and directory integrations: config, admin-added credentials, discovery into the catalog, webhooks. */
export const integrationsPlugin = definePlugin<
  IntegrationsConfig,
  { catalog: typeof catalogServiceRef; sources: typeof sourcesServiceRef },
  // eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- the plugin provides no service
  void,
  { scaffolder: typeof scaffolderActionsRef }
>({
  id: 'integrations',
  configSchema: integrationsConfigSchema,
  permissions: integrationsPermissions,
  migrations: [...integrationsMigrations, ...gitlabMigrations],
  deps: { catalog: catalogServiceRef, sources: sourcesServiceRef },
  // Modules register scaffolder actions (publish:gitlab, ...) when the scaffolder is installed.
  optionalDeps: { scaffolder: scaffolderActionsRef },
  openapi: integrationsOpenApi,
  routes,
  async setup(ctx) {
    const { db, config, logger, audit, permissions, host, deps } = ctx;
    const secrets = loadSecretBox({ ...(config.encryptionKey ? { configKey: config.encryptionKey } : {}), dataDir: host.dataDir, logger });
    const store = new IntegrationStore(db, secrets);
    // The shared SSRF guard: a refused destination is a 400 naming why; a host that does not
    // resolve (yet) is not a refusal, the connection test reports it.
    const assertOutbound = async (url: string) => {
      try {
        await assertOutboundAllowed(url, {
          allowPrivateNetworks: deps.sources.allowPrivateNetworks,
          privateNetworksKey: deps.sources.privateNetworksKey,
          transports: ['http', 'https'],
        });
      } catch (e) {
        if (e instanceof ReadError && e.kind === 'security') throw new InputError(e.message);
        if (e instanceof ReadError && e.notFound) return;
        throw e;
      }
    };
    const modules = new Map<string, IntegrationModuleRuntime>();
    for (const m of integrationModules) {
      modules.set(
        m.kind,
        await m.start({
          db,
          config,
          rootConfig: ctx.rootConfig,
          logger: logger.child({ module: m.kind }),
          scheduler: ctx.scheduler,
          events: ctx.events,
          lifecycle: ctx.lifecycle,
          audit,
          catalog: deps.catalog,
          secrets,
          store,
          baseUrl: ctx.baseUrl,
          assertOutbound,
          ...(ctx.optionalDeps.scaffolder ? { scaffolder: ctx.optionalDeps.scaffolder } : {}),
        }),
      );
    }
    const scm = new EntityScmService({ config, store, logger: logger.child({ feature: 'entity-scm' }) });
    mountRoutes(ctx, routes, { db, store, audit, permissions, logger, config, assertOutbound, modules, catalog: deps.catalog, scm });
  },
});
