import type { OpenApiFragment } from '@atrium/backend-plugin-api';

export const systemOpenApi: OpenApiFragment = {
  tags: [{ name: 'system', description: 'Operator information about the running portal' }],
  paths: {
    '/info': {
      get: {
        tags: ['system'],
        summary: 'Version, database mode, installed plugins with health and migrations, scheduled jobs',
        responses: {
          '200': { description: 'System information', content: { 'application/json': { schema: { $ref: '#/components/schemas/SystemInfo' } } } },
        },
      },
    },
  },
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
          database: { type: 'object', properties: { mode: { enum: ['embedded', 'postgres'] }, location: { type: 'string' }, serverVersion: { type: 'string' } } },
          plugins: { type: 'array', items: { type: 'object' } },
          jobs: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
};
