export { integrationsPlugin, integrationModules } from './plugin.js';
export { INTEGRATION_PERMISSIONS } from './permissions.js';
export type { IntegrationModule, IntegrationModuleContext, IntegrationModuleRuntime, IntegrationRouteServices } from './modules.js';
export type { IntegrationsConfig, GitHubIntegrationConfig, GitLabIntegrationConfig, GitHubDiscoveryConfig } from './config.js';
export * from '../common/index.js';
