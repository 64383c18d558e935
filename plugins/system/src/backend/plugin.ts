import { definePlugin } from '@atrium/backend-plugin-api';
import type { SystemInfo } from '../common/types.js';
import { systemOpenApi } from './openapi.js';

/** Operator view of the running portal: version, database, plugins and their health, jobs. */
export const systemPlugin = definePlugin({
  id: 'system',
  openapi: systemOpenApi,
  setup({ router, host, auth, permissions }) {
    router.get('/info', async (req, res) => {
      const caller = await auth.getCaller(req);
      await permissions.assert(caller, { permission: 'system.info.read' });
      const body: SystemInfo = {
        version: host.version,
        nodeVersion: process.version,
        startedAt: host.startedAt.toISOString(),
        uptimeSeconds: Math.round((Date.now() - host.startedAt.getTime()) / 1000),
        database: host.database(),
        plugins: await host.plugins(),
        jobs: await host.jobs(),
      };
      res.json(body);
    });
  },
});
