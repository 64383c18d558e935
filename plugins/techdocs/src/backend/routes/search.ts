import { defineRoute } from '@atrium/backend-plugin-api';
import type { DocsSearchResponse } from '../../common/index.js';
import { componentRef, cursorQuery, decodeCursor, encodeCursor, type TechdocsRouteServices } from './shared.js';

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
  permission: { name: 'catalog.entity.read', resourceRef: ({ query }) => query.entity },
  summary: 'Full-text search over every page section (Postgres FTS), with highlighted snippets',
  response: { description: 'Matching sections', schema: componentRef('DocsSearchResponse') },
  handler: async ({ query: q }, { search }): Promise<DocsSearchResponse> => {
    const offset = decodeCursor(q.cursor);
    const found = await search.search({ term: q.term, ...(q.entity ? { entityRef: q.entity.toLocaleLowerCase('en-US') } : {}), limit: q.limit, offset });
    return {
      results: found.slice(0, q.limit),
      pageInfo: found.length > q.limit ? { nextCursor: encodeCursor(offset + q.limit) } : {},
    };
  },
});
