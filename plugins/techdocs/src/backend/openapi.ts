import type { OpenApiFragment } from '@atrium/backend-plugin-api';

/** Tags and the reply shapes the routes refer to; paths, parameters and bodies come from the declared routes (routes/). */
export const techdocsOpenApi: OpenApiFragment = {
  tags: [{ name: 'techdocs', description: 'Docs-as-code sites built from mkdocs.yml and Markdown' }],
  components: {
    schemas: {
      DocsEntityList: {
        type: 'object',
        required: ['items', 'totalItems', 'pageInfo'],
        properties: { items: { type: 'array', items: { type: 'object' } }, totalItems: { type: 'integer' }, pageInfo: { type: 'object' } },
      },
      DocsEntityDetail: {
        type: 'object',
        properties: { entityRef: { type: 'string' }, build: { type: 'object' }, log: { type: 'array', items: { type: 'object' } } },
      },
      DocsSite: {
        type: 'object',
        properties: {
          siteName: { type: 'string' },
          nav: { type: 'array', items: { type: 'object' } },
          pages: { type: 'array', items: { type: 'object' } },
          etag: { type: 'string' },
        },
      },
      DocsPage: {
        type: 'object',
        properties: { route: { type: 'string' }, title: { type: 'string' }, html: { type: 'string' }, toc: { type: 'array', items: { type: 'object' } } },
      },
      DocsSearchResponse: { type: 'object', properties: { results: { type: 'array', items: { type: 'object' } }, pageInfo: { type: 'object' } } },
    },
  },
};
