import type { JsonSchema, OpenApiFragment } from '@atrium/backend-plugin-api';

const facet: JsonSchema = {
  type: 'array',
  items: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer' } } },
};

const searchQueryResponse: JsonSchema = {
  type: 'object',
  required: ['results', 'numberOfResults', 'facets'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'document', 'highlight', 'rank'],
        properties: {
          type: { type: 'string' },
          document: {
            type: 'object',
            required: ['title', 'text', 'location'],
            properties: {
              title: { type: 'string' },
              text: { type: 'string' },
              location: { type: 'string' },
              kind: { type: 'string' },
              namespace: { type: 'string' },
              name: { type: 'string' },
              owner: { type: 'string' },
              lifecycle: { type: 'string' },
              tags: { type: 'array', items: { type: 'string' } },
              entityRef: { type: 'string' },
            },
          },
          highlight: {
            type: 'object',
            description: 'Safe HTML: text escaped, only <mark> added',
            properties: {
              preTag: { type: 'string' },
              postTag: { type: 'string' },
              fields: { type: 'object', properties: { title: { type: 'string' }, text: { type: 'string' } } },
            },
          },
          rank: { type: 'number' },
        },
      },
    },
    nextPageCursor: { type: 'string' },
    previousPageCursor: { type: 'string' },
    numberOfResults: { type: 'integer' },
    numberOfResultsIsLowerBound: {
      type: 'boolean',
      description: 'true when more documents matched than are counted exactly (1,000): numberOfResults and facet counts are lower bounds',
    },
    facets: {
      type: 'object',
      properties: { type: facet, kind: facet, owner: facet, lifecycle: facet, tags: facet },
    },
    suggestion: { type: 'string' },
  },
};

const searchStatus: JsonSchema = {
  type: 'object',
  required: ['types', 'documents', 'indexBytes'],
  properties: {
    types: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'title', 'version', 'state', 'documents'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          version: { type: 'string' },
          state: { type: 'string', enum: ['pending', 'building', 'ready', 'failed'] },
          documents: { type: 'integer' },
          progress: { type: 'object', properties: { indexed: { type: 'integer' } } },
          lastBuildStartedAt: { type: 'string', format: 'date-time' },
          lastBuildFinishedAt: { type: 'string', format: 'date-time' },
          lastBuildDurationMs: { type: 'integer' },
          error: { type: 'string' },
        },
      },
    },
    documents: { type: 'integer' },
    indexBytes: { type: 'integer' },
    fuzzy: { type: 'string' },
  },
};

/** The tag and named reply schemas; the operations come from the declared routes. */
export const searchOpenApi: OpenApiFragment = {
  tags: [{ name: 'search', description: 'Portal-wide search over every registered document type' }],
  components: { schemas: { SearchQueryResponse: searchQueryResponse, SearchStatus: searchStatus } },
};
