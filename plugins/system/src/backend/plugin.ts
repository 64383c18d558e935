import { definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import { systemOpenApi } from './openapi.js';
import { systemRoutes } from './routes/info.js';

/** Operator view of the running portal: version, database, plugins and their health, jobs. */
export const systemPlugin = definePlugin({
  id: 'system',
  openapi: systemOpenApi,
  routes: systemRoutes,
  setup(ctx) {
    mountRoutes(ctx, systemRoutes, { host: ctx.host });
  },
});
