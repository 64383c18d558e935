import type { IntegrationModule } from '../modules.js';

/** LDAP: organisation sync (users and groups) into the catalog. */
export const ldapModule: IntegrationModule = {
  kind: 'ldap',
  routes: [],
  async start() {
    return {};
  },
};
