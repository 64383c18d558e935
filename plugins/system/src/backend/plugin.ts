import { coreServices, definePlugin, mountRoutes } from '@atrium/backend-plugin-api';
import { systemOpenApi } from './openapi.js';
import { auditRoutes } from './routes/audit.js';
import { systemRoutes } from './routes/info.js';
import { systemPermissions } from './permissions.js';

/** Operator view of the running portal: version, database, plugins and their health, jobs, the audit log. */
export const systemPlugin = definePlugin({
  id: 'system',
  permissions: systemPermissions,
  openapi: systemOpenApi,
  deps: { auditLog: coreServices.auditLog, eventLog: coreServices.eventLog },
  routes: [...systemRoutes, ...auditRoutes],
  setup(ctx) {
    mountRoutes(ctx, systemRoutes, { host: ctx.host, eventLog: ctx.deps.eventLog });
    mountRoutes(ctx, auditRoutes, { auditLog: ctx.deps.auditLog });
  },
});
