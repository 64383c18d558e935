import { defineRoute, type EventLogService, type HostInfoService } from '@atrium/backend-plugin-api';
import type { SystemInfo } from '../../common/types.js';

export interface SystemRouteServices {
  host: HostInfoService;
  eventLog?: EventLogService;
}

/** GET /info: version, database, plugins with health and migrations, jobs. */
export const getSystemInfo = defineRoute<SystemRouteServices>({
  method: 'get',
  path: '/info',
  permission: 'system.info.read',
  summary: 'Version, database mode, installed plugins with health and migrations, scheduled jobs',
  response: { description: 'System information', schema: { $ref: '#/components/schemas/SystemInfo' } },
  handler: async (_request, { host, eventLog }): Promise<SystemInfo> => ({
    ...(eventLog
      ? { eventLog: await eventLog.stats().then(({ rows, bytes, oldestAt, newestId, retentionDays }) => ({ rows, bytes, oldestAt, newestId, retentionDays })) }
      : {}),
    version: host.version,
    nodeVersion: process.version,
    startedAt: host.startedAt.toISOString(),
    uptimeSeconds: Math.round((Date.now() - host.startedAt.getTime()) / 1000),
    database: host.database(),
    plugins: await host.plugins(),
    jobs: await host.jobs(),
  }),
});

export const systemRoutes = [getSystemInfo];
