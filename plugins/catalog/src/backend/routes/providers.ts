import { defineRoute } from '@atrium/backend-plugin-api';
import type { CatalogRouteServices } from './services.js';

/** GET /providers (Atrium's own): the status of every entity provider. */
export const listEntityProviders = defineRoute<CatalogRouteServices>({
  method: 'get',
  path: '/providers',
  permission: 'catalog.provider.read',
  summary: 'Entity providers: last mutation, entity count and errors of each',
  response: {
    description: 'Providers',
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'connected', 'lastMutationAt', 'lastMutationType', 'mutationCount', 'entityCount', 'errors'],
            properties: {
              name: { type: 'string' },
              connected: { type: 'boolean' },
              lastMutationAt: { type: ['string', 'null'], format: 'date-time' },
              lastMutationType: { enum: ['full', 'delta', null] },
              mutationCount: { type: 'integer' },
              entityCount: { type: 'integer' },
              errors: { type: 'array', items: { type: 'object' } },
            },
          },
        },
      },
    },
  },
  handler: async (_request, { providers }) => ({ items: await providers.list() }),
});
