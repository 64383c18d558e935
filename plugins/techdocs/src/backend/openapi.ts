import type { OpenApiFragment } from '@atrium/backend-plugin-api';

const triplet = ['namespace', 'kind', 'name'].map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
const json = (ref: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const notFound = { description: 'Not documented or not built', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

export const techdocsOpenApi: OpenApiFragment = {
  tags: [{ name: 'techdocs', description: 'Docs-as-code sites built from mkdocs.yml and Markdown' }],
  paths: {
    '/entities': {
      get: {
        tags: ['techdocs'],
        summary: 'Documented entities with their build status (docs home)',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string' }, description: 'Matches title, name or site name' },
          { name: 'owner', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': json('DocsEntityList', 'A page of documented entities') },
      },
    },
    '/owners': {
      get: { tags: ['techdocs'], summary: 'Owners of documented entities, with counts', responses: { '200': { description: 'Owners' } } },
    },
    '/entities/{namespace}/{kind}/{name}': {
      get: {
        tags: ['techdocs'],
        summary: 'Build status, time and log of one entity\'s docs',
        parameters: triplet,
        responses: { '200': json('DocsEntityDetail', 'Build details'), '404': notFound },
      },
    },
    '/builds/{namespace}/{kind}/{name}': {
      post: {
        tags: ['techdocs'],
        summary: 'Queue a build now (skipped when the source is unchanged, unless force)',
        parameters: triplet,
        requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { force: { type: 'boolean' } } } } } },
        responses: { '202': { description: 'Queued' }, '404': notFound },
      },
    },
    '/sites/{namespace}/{kind}/{name}': {
      get: {
        tags: ['techdocs'],
        summary: 'A built site: name, nav and pages (ETag, revalidated)',
        parameters: triplet,
        responses: { '200': json('DocsSite', 'The site'), '304': { description: 'Not modified' }, '404': notFound },
      },
    },
    '/sites/{namespace}/{kind}/{name}/page': {
      get: {
        tags: ['techdocs'],
        summary: 'One page: sanitized HTML, TOC, prev/next, edit link (ETag, revalidated)',
        parameters: [...triplet, { name: 'route', in: 'query', schema: { type: 'string', default: '' } }],
        responses: { '200': json('DocsPage', 'The page'), '304': { description: 'Not modified' }, '404': notFound },
      },
    },
    '/static/docs/{namespace}/{kind}/{name}/{path}': {
      get: {
        tags: ['techdocs'],
        summary: 'An image or file a page links to',
        parameters: [...triplet, { name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The file' }, '404': notFound },
      },
    },
    '/metadata/techdocs/{namespace}/{kind}/{name}': {
      get: { tags: ['techdocs'], summary: 'Backstage-compatible site metadata', parameters: triplet, responses: { '200': { description: 'Metadata' }, '404': notFound } },
    },
    '/search': {
      get: {
        tags: ['techdocs'],
        summary: 'Full-text search over every page section (Postgres FTS), with highlighted snippets',
        parameters: [
          { name: 'term', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'entity', in: 'query', schema: { type: 'string' }, description: 'Limit to one entity, e.g. component:default/orders' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: { '200': json('DocsSearchResponse', 'Matching sections') },
      },
    },
  },
  components: {
    schemas: {
      DocsEntityList: { type: 'object', required: ['items', 'totalItems', 'pageInfo'], properties: { items: { type: 'array', items: { type: 'object' } }, totalItems: { type: 'integer' }, pageInfo: { type: 'object' } } },
      DocsEntityDetail: { type: 'object', properties: { entityRef: { type: 'string' }, build: { type: 'object' }, log: { type: 'array', items: { type: 'object' } } } },
      DocsSite: { type: 'object', properties: { siteName: { type: 'string' }, nav: { type: 'array', items: { type: 'object' } }, pages: { type: 'array', items: { type: 'object' } }, etag: { type: 'string' } } },
      DocsPage: { type: 'object', properties: { route: { type: 'string' }, title: { type: 'string' }, html: { type: 'string' }, toc: { type: 'array', items: { type: 'object' } } } },
      DocsSearchResponse: { type: 'object', properties: { results: { type: 'array', items: { type: 'object' } }, pageInfo: { type: 'object' } } },
    },
  },
};
