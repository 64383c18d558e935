import type { OpenApiFragment } from '@atrium/backend-plugin-api';

const rateLimit = {
  type: 'object',
  properties: { limit: { type: 'integer', nullable: true }, remaining: { type: 'integer', nullable: true }, resetAt: { type: 'string', nullable: true } },
};

/** The tag and named reply schemas; the operations come from the declared routes. */
export const integrationsOpenApi: OpenApiFragment = {
  tags: [{ name: 'integrations', description: 'Source-control integrations (GitHub, GitLab), discovery into the catalog, webhooks' }],
  components: {
    schemas: {
      Integration: {
        type: 'object',
        required: ['id', 'kind', 'name', 'host', 'apiBaseUrl', 'authType', 'source', 'secretsSet'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          host: { type: 'string' },
          apiBaseUrl: { type: 'string' },
          authType: { type: 'string', enum: ['token', 'app'] },
          source: { type: 'string', enum: ['config', 'api'] },
          discovery: { type: 'object', nullable: true },
          secretsSet: { type: 'array', items: { type: 'string' } },
          lastTest: { type: 'object', nullable: true },
        },
      },
      ConnectionTest: {
        type: 'object',
        required: ['ok', 'message', 'testedAt'],
        properties: {
          ok: { type: 'boolean' },
          testedAt: { type: 'string' },
          identity: { type: 'string' },
          scopes: { type: 'array', items: { type: 'string' } },
          missingScopes: { type: 'array', items: { type: 'string' } },
          message: { type: 'string' },
          rateLimit,
        },
      },
      DiscoveryStatus: {
        type: 'object',
        properties: {
          targetId: { type: 'string' },
          owner: { type: 'string' },
          status: { type: 'string', enum: ['idle', 'scanning', 'paused', 'error'] },
          pausedUntil: { type: 'string', nullable: true },
          pauseReason: { type: 'string', nullable: true },
          reposScanned: { type: 'integer' },
          entities: { type: 'integer' },
          apiCalls: { type: 'integer' },
          rateLimit,
          errors: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
};
