import type { IntegrationModule } from '../modules.js';
import { LdapSync, readLdapConfig } from './ldapSync.js';

/**
 * LDAP: each `integrations.ldap[]` directory is an entity provider (`ldap-<id>`) whose users and
 * groups become User and Group entities, synced on its schedule (one replica per tick).
 */
export const ldapModule: IntegrationModule = {
  kind: 'ldap',
  routes: [],
  async start(ctx) {
    const syncs = readLdapConfig(ctx.config['ldap']).map((source) => new LdapSync(source, { catalog: ctx.catalog, logger: ctx.logger }));
    for (const sync of syncs) {
      await sync.connect();
      ctx.scheduler.every(`integrations.ldap.${sync.source.id}`, { intervalSeconds: sync.source.schedule.intervalSeconds, runOnStart: true }, async () => {
        await sync.sync();
      });
    }
    return {};
  },
};
