import type { IntegrationModule } from '../modules.js';

/** GitHub: discovery of an org's or user's repositories, org sync, webhooks, connection tests. */
export const githubModule: IntegrationModule = {
  kind: 'github',
  routes: [],
  async start() {
    return {};
  },
};
