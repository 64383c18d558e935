import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import { allOf } from '../filters/filterNode.js';
import { parseFilterParams } from '../filters/parseFilter.js';
import { parsePredicate } from '../filters/parsePredicate.js';
import * as schemas from './schemas.js';
import { READ_ENTITIES, type CatalogRouteServices } from './services.js';
import { visibility } from './visibility.js';

const facetsReply = {
  description: 'Value counts per field',
  schema: {
    type: 'object',
    properties: {
      facets: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, count: { type: 'integer' } } } },
      },
    },
  },
};

/** GET /entity-facets?facet=kind&facet=spec.type&filter=...: how many entities have each value of each field. */
export const getEntityFacets = defineRoute<CatalogRouteServices, Record<string, string>, { facet: string | string[]; filter?: string | string[] }>({
  method: 'get',
  path: '/entity-facets',
  query: schemas.facetsQuery,
  permission: READ_ENTITIES,
  summary: 'Value counts of fields',
  response: facetsReply,
  handler: async ({ query, caller }, { aggregates, permissions }) => {
    const facets = (Array.isArray(query.facet) ? query.facet : [query.facet]).filter((f) => f.trim() !== '');
    if (facets.length === 0) throw new InputError('Invalid request query: facet must name at least one field, e.g. facet=kind');
    // Counts are the caller's: the cache is keyed by this combined filter.
    return { facets: await aggregates.facets(facets, allOf([parseFilterParams(query.filter), await visibility(permissions, caller)])) };
  },
});

/** POST /entity-facets: the same with a filter predicate in the body. */
export const queryEntityFacets = defineRoute<CatalogRouteServices, Record<string, string>, Record<string, unknown>, { facets: string[]; query?: object }>({
  method: 'post',
  path: '/entity-facets',
  body: schemas.facetsBody,
  permission: READ_ENTITIES,
  summary: 'Value counts with a filter predicate',
  response: facetsReply,
  handler: async ({ body, caller }, { aggregates, permissions }) => ({
    facets: await aggregates.facets(
      body.facets,
      allOf([body.query !== undefined ? parsePredicate(body.query) : undefined, await visibility(permissions, caller)]),
    ),
  }),
});
