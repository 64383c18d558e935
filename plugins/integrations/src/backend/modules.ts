import type { AuditService, Logger, PermissionsService, RouteDefinition, SchedulerService, EventsService, LifecycleService } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { ScaffolderActionsService } from '@atrium/plugin-scaffolder/backend';
import type { Knex } from 'knex';
import type { ConnectionTestResult, DiscoveryStatus } from '../common/index.js';
import type { IntegrationsConfig } from './config.js';
import type { EntityScmService } from './scm/entityScm.js';
import type { SecretBox } from './secretBox.js';
import type { IntegrationStore, StoredIntegration } from './store.js';

/** What a module (GitHub, GitLab, LDAP, ...) receives when the plugin starts. */
export interface IntegrationModuleContext {
  db: Knex;
  config: IntegrationsConfig;
  rootConfig: Readonly<Record<string, unknown>>;
  logger: Logger;
  scheduler: SchedulerService;
  events: EventsService;
  lifecycle: LifecycleService;
  audit: AuditService;
  catalog: CatalogService;
  secrets: SecretBox;
  store: IntegrationStore;
  baseUrl: string;
  /** Outbound checks for admin-supplied URLs (the shared SSRF guard with the configured policy). */
  assertOutbound(url: string): Promise<void>;
  /** The scaffolder's actions extension, when the scaffolder is installed. */
  scaffolder?: ScaffolderActionsService;
}

/** What a started module offers the shared routes (all optional). */
export interface IntegrationModuleRuntime {
  testConnection?(integration: StoredIntegration): Promise<ConnectionTestResult>;
  /** Discovery state of the targets belonging to an integration id (or config targets when undefined). */
  discoveryStatus?(integrationId?: string): Promise<DiscoveryStatus[]>;
  /** Called after an admin added, changed or removed an integration of this kind. */
  integrationChanged?(id: string, change: 'created' | 'updated' | 'deleted'): Promise<void>;
  /** Starts discovery of an integration now. */
  runNow?(integrationId: string): Promise<void>;
  /** The discovery target ids this module runs (config and API). */
  targetIds?(): string[];
  /** Runs one discovery target now; resolves when the run ends. */
  runTarget?(targetId: string): Promise<void>;
}

/** Everything the declared routes use (setup() passes it to mountRoutes). */
export interface IntegrationRouteServices {
  db: Knex;
  store: IntegrationStore;
  audit: AuditService;
  permissions: PermissionsService;
  logger: Logger;
  config: IntegrationsConfig;
  assertOutbound(url: string): Promise<void>;
  /** Started modules by kind (`github`, `gitlab`, ...). */
  modules: Map<string, IntegrationModuleRuntime>;
  /** The catalog, read as the caller by the entity routes. */
  catalog: CatalogService;
  /** Entity cards: an entity's repository (CI runs, open changes, last commit). */
  scm: EntityScmService;
}

/** A source-control or directory module. Add one to `integrationModules` in plugin.ts. */
export interface IntegrationModule {
  /** The integration kind it handles (`github`), or a name for modules without admin integrations (`ldap`). */
  kind: string;
  /** Declared routes (they join the plugin's routes and OpenAPI document). */
  routes?: RouteDefinition<IntegrationRouteServices>[];
  start(ctx: IntegrationModuleContext): Promise<IntegrationModuleRuntime>;
}
