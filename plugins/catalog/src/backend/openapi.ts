import type { OpenApiFragment } from '@atrium/backend-plugin-api';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * The catalog's tag and the named schemas its routes' replies refer to. The operations
 * themselves (parameters, bodies, permissions) come from the declared routes in routes/.
 */
export const catalogOpenApi: OpenApiFragment = {
  tags: [{ name: 'Catalog', description: 'Software catalog: entities and locations (Backstage-compatible)' }],
  components: {
    schemas: {
      Entity: { type: 'object', required: ['apiVersion', 'kind', 'metadata'], additionalProperties: true },
      Location: {
        type: 'object',
        required: ['id', 'type', 'target'],
        properties: { id: { type: 'string' }, type: { type: 'string' }, target: { type: 'string' } },
      },
      QueryResponse: {
        type: 'object',
        properties: {
          items: { type: 'array', items: ref('Entity') },
          totalItems: { type: 'integer' },
          pageInfo: { type: 'object', properties: { nextCursor: { type: 'string' }, prevCursor: { type: 'string' } } },
        },
      },
      Error: { type: 'object', properties: { error: { type: 'object' }, request: { type: 'object' }, response: { type: 'object' } } },
    },
  },
};
