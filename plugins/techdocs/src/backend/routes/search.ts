import { defineRoute } from '@atrium/backend-plugin-api';
import type { DocsSearchResponse } from '../../common/index.js';
import { componentRef, cursorQuery, decodeCursor, encodeCursor, readableDocsRefs, type TechdocsRouteServices } from './shared.js';

interface SearchQuery {
  term: string;
  entity?: string;
  limit: number;
  cursor?: string;
}

/** GET /search: full-text search over every page section. */
export const searchDocs = defineRoute<TechdocsRouteServices, Record<string, string>, SearchQuery>({
  method: 'get',
  path: '/search',
  query: {
    type: 'object',
    required: ['term'],
    additionalProperties: false,
    properties: {
      term: { type: 'string', maxLength: 200 },
      entity: { type: 'string', maxLength: 300, description: 'Limit to one entity, e.g. component:default/orders' },
      limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      cursor: cursorQuery,
    },
  },
  // Results are limited to the entities the caller may read, in SQL: a hidden entity (named in
  // `entity` or not) yields nothing, like one without docs.
  permission: 'catalog.entity.read',
  summary: 'Full-text search over every page section (Postgres FTS), with highlighted snippets; only entities the caller may read',
  response: { description: 'Matching sections', schema: componentRef('DocsSearchResponse') },
  handler: async ({ query: q, caller }, services): Promise<DocsSearchResponse> => {
    const offset = decodeCursor(q.cursor);
    const entityRef = q.entity?.toLocaleLowerCase('en-US');
    if (entityRef && (await services.permissions.authorize(caller, { permission: 'catalog.entity.read', resourceRef: entityRef })).result !== 'ALLOW')
      return { results: [], pageInfo: {} };
    const visible = await readableDocsRefs(services, caller);
    const found = await services.search.search({ term: q.term, ...(entityRef ? { entityRef } : {}), ...(visible ? { visible } : {}), limit: q.limit, offset });
    return {
      results: found.slice(0, q.limit),
      pageInfo: found.length > q.limit ? { nextCursor: encodeCursor(offset + q.limit) } : {},
    };
  },
});
