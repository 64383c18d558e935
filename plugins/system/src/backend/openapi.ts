import type { OpenApiFragment } from '@atrium/backend-plugin-api';

/** Tags and the reply shapes the declared routes (routes/) refer to; the paths come from the routes. */
export const systemOpenApi: OpenApiFragment = {
  tags: [{ name: 'system', description: 'Operator information about the running portal' }],
  components: {
    schemas: {
      SystemInfo: {
        type: 'object',
        required: ['version', 'nodeVersion', 'startedAt', 'uptimeSeconds', 'database', 'plugins', 'jobs'],
        properties: {
          version: { type: 'string' },
          nodeVersion: { type: 'string' },
          startedAt: { type: 'string', format: 'date-time' },
          uptimeSeconds: { type: 'integer' },
          database: {
            type: 'object',
            properties: { mode: { enum: ['embedded', 'postgres'] }, location: { type: 'string' }, serverVersion: { type: 'string' } },
          },
          plugins: { type: 'array', items: { type: 'object' } },
          jobs: { type: 'array', items: { type: 'object' } },
          eventLog: {
            type: 'object',
            description: 'Size of the durable event log (atrium_host.event_log)',
            properties: {
              rows: { type: 'integer' },
              bytes: { type: 'integer' },
              oldestAt: { type: ['string', 'null'], format: 'date-time' },
              newestId: { type: ['string', 'null'] },
              retentionDays: { type: 'integer' },
            },
          },
        },
      },
    },
  },
};
