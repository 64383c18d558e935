import type { JsonSchema } from '@atrium/backend-plugin-api';
import { authConfigSchema } from '../auth/authConfigSchema.js';
import { permissionConfigSchema } from '../permissions/policyConfigSchema.js';

/**
 * The host's own config keys. Shapes follow Backstage's where Backstage has the same key.
 * `app` and `backend` are closed: an unknown key stops the start (validateConfig suggests the
 * key that was probably meant; keys only Backstage uses are ignored with a warning).
 */
export const backendConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    auth: authConfigSchema,
    permission: permissionConfigSchema,
    app: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        baseUrl: { type: 'string' },
      },
      additionalProperties: false,
    },
    backend: {
      type: 'object',
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        /** Writable data directory for caches, clones and published repositories (default `.atrium`). */
        dataDir: { type: 'string', minLength: 1 },
        listen: {
          type: 'object',
          properties: {
            port: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 0, maximum: 65535 },
            host: { type: 'string' },
          },
          additionalProperties: false,
        },
        database: {
          type: 'object',
          properties: {
            client: { enum: ['pglite', 'pg'] },
            connection: {
              anyOf: [
                { type: 'string' },
                {
                  type: 'object',
                  properties: {
                    directory: { type: 'string' },
                    host: { type: 'string' },
                    port: { type: ['integer', 'string'] },
                    user: { type: 'string' },
                    password: { type: 'string' },
                    database: { type: 'string' },
                    ssl: {},
                    connectionString: { type: 'string' },
                  },
                },
              ],
            },
            connectTimeoutSeconds: { type: 'number', minimum: 1, maximum: 120 },
            /** The embedded database's page cache (Postgres' shared_buffers), e.g. `48MB`; a server's is its own setting. */
            sharedBuffers: { type: 'string', pattern: '^[1-9][0-9]*(kB|MB|GB)$' },
          },
          additionalProperties: false,
        },
        scheduler: {
          type: 'object',
          properties: { pollIntervalMs: { type: 'integer', minimum: 50, maximum: 60000 } },
          additionalProperties: false,
        },
        /** The durable audit log: retention of its rows, and JSON lines on stdout for a SIEM. */
        audit: {
          type: 'object',
          properties: {
            retentionDays: { type: 'integer', minimum: 1 },
            stdout: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        /** The durable event log (change feed, entity history): how long its rows are kept. */
        eventLog: {
          type: 'object',
          properties: { retentionDays: { type: 'integer', minimum: 1 } },
          additionalProperties: false,
        },
        /** What the shared sources service (every plugin's file, URL and git reads) may read. */
        reading: {
          type: 'object',
          properties: {
            /** Local folders file locations may be read under (relative to the file that sets them). */
            fileRoots: { type: 'array', items: { type: 'string', minLength: 1 } },
            /** Let http(s) and git reads reach private, loopback and link-local addresses. */
            allowPrivateNetworks: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        maxRequestBodyBytes: { type: 'integer', minimum: 1024 },
        /** Other origins whose pages may call the API, and other names the server is reached under. */
        allowedOrigins: {
          type: 'array',
          items: { type: 'string', pattern: '^https?://[^/?#@]+/?$' },
        },
        /** Content-Security-Policy directives to replace (a list of sources) or drop (false). */
        csp: {
          type: 'object',
          propertyNames: { pattern: '^[a-z-]+$' },
          additionalProperties: {
            anyOf: [{ type: 'array', items: { type: 'string', pattern: '^[^;,]*$' } }, { const: false }],
          },
        },
      },
      additionalProperties: false,
    },
  },
};

/** Top-level sections the host reads; every other one must be an installed plugin's id. */
export const HOST_CONFIG_SECTIONS = ['app', 'backend', 'auth', 'permission'] as const;
