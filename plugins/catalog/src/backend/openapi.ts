import type { OpenApiFragment } from '@atrium/backend-plugin-api';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, ...json(ref('Error')) });
const q = (name: string, description: string, schema: object = { type: 'string' }, required = false) => ({ name, in: 'query', description, required, schema });
const repeated = (name: string, description: string) => q(name, description, { type: 'array', items: { type: 'string' } });
const nameParams = ['kind', 'namespace', 'name'].map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } }));
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const uidParam = { name: 'uid', in: 'path', required: true, schema: { type: 'string' } };
const tags = ['Catalog'];
const filterParam = repeated('filter', 'AND-set of key=value or key conditions; repeat to OR sets');
const fieldsParam = q('fields', 'Comma-separated dot paths to return');

/** The catalog's routes for /api/openapi.json (Backstage-compatible shapes). */
export const catalogOpenApi: OpenApiFragment = {
  tags: [{ name: 'Catalog', description: 'Software catalog: entities and locations (Backstage-compatible)' }],
  components: {
    schemas: {
      Entity: { type: 'object', required: ['apiVersion', 'kind', 'metadata'], additionalProperties: true },
      Location: { type: 'object', required: ['id', 'type', 'target'], properties: { id: { type: 'string' }, type: { type: 'string' }, target: { type: 'string' } } },
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
  paths: {
    '/entities': {
      get: {
        tags,
        summary: 'List entities (optionally filtered, ordered, paged by offset)',
        parameters: [filterParam, fieldsParam, repeated('order', 'asc:<field> or desc:<field>'), q('offset', 'Skip this many', { type: 'integer' }), q('limit', 'Page size', { type: 'integer' }), q('after', 'Opaque cursor from the link header')],
        responses: { 200: { description: 'Entities', ...json({ type: 'array', items: ref('Entity') }) }, 400: err('Malformed filter or paging') },
      },
    },
    '/entities/by-query': {
      get: {
        tags,
        summary: 'Cursor-paginated entity query',
        parameters: [filterParam, fieldsParam, q('limit', 'Page size (default 200)', { type: 'integer' }), q('offset', 'Skip', { type: 'integer' }), repeated('orderField', '<field>,asc|desc'), q('cursor', 'From pageInfo'), q('fullTextFilterTerm', 'Words to search (prefix match)'), q('fullTextFilterFields', 'Comma-separated fields to search in'), q('totalItems', 'include or exclude')],
        responses: { 200: { description: 'A page', ...json(ref('QueryResponse')) }, 400: err('Malformed query or cursor') },
      },
      post: {
        tags,
        summary: 'Cursor-paginated entity query with a filter predicate',
        requestBody: json({ type: 'object', properties: { query: { type: 'object' }, orderBy: { type: 'array' }, fullTextFilter: { type: 'object' }, fields: { type: 'array' }, limit: { type: 'integer' }, offset: { type: 'integer' }, cursor: { type: 'string' } } }),
        responses: { 200: { description: 'A page', ...json(ref('QueryResponse')) }, 400: err('Malformed query') },
      },
    },
    '/entities/by-refs': {
      post: {
        tags,
        summary: 'Entities by ref, in request order (null when missing)',
        parameters: [filterParam],
        requestBody: json({ type: 'object', required: ['entityRefs'], properties: { entityRefs: { type: 'array', items: { type: 'string' } }, fields: { type: 'array', items: { type: 'string' } }, query: { type: 'object' } } }),
        responses: { 200: { description: 'Items', ...json({ type: 'object', properties: { items: { type: 'array', items: { anyOf: [ref('Entity'), { type: 'null' }] } } } }) }, 400: err('Malformed body') },
      },
    },
    '/entities/by-uid/{uid}': {
      get: { tags, summary: 'Entity by uid', parameters: [uidParam], responses: { 200: { description: 'Entity', ...json(ref('Entity')) }, 404: err('No such entity') } },
      delete: { tags, summary: 'Remove an entity (it comes back if its location still yields it)', parameters: [uidParam], responses: { 204: { description: 'Removed' } } },
    },
    '/entities/by-name/{kind}/{namespace}/{name}': {
      get: { tags, summary: 'Entity by kind, namespace and name', parameters: nameParams, responses: { 200: { description: 'Entity', ...json(ref('Entity')) }, 404: err('No such entity') } },
    },
    '/entities/by-name/{kind}/{namespace}/{name}/ancestry': {
      get: { tags, summary: 'The Location entities that led to an entity', parameters: nameParams, responses: { 200: { description: 'Ancestry', ...json({ type: 'object', properties: { rootEntityRef: { type: 'string' }, items: { type: 'array' } } }) }, 404: err('No such entity') } },
    },
    '/entity-facets': {
      get: { tags, summary: 'Value counts of fields', parameters: [repeated('facet', 'Field to count values of'), filterParam], responses: { 200: { description: 'Facets', ...json({ type: 'object', properties: { facets: { type: 'object' } } }) }, 400: err('Malformed request') } },
      post: { tags, summary: 'Value counts with a filter predicate', requestBody: json({ type: 'object', required: ['facets'], properties: { facets: { type: 'array' }, query: { type: 'object' } } }), responses: { 200: { description: 'Facets' }, 400: err('Malformed request') } },
    },
    '/refresh': {
      post: { tags, summary: "Re-read an entity's location now", requestBody: json({ type: 'object', required: ['entityRef'], properties: { entityRef: { type: 'string' } } }), responses: { 200: { description: 'Refreshed' }, 400: err('Malformed ref'), 404: err('No such entity') } },
    },
    '/events': {
      get: {
        tags,
        summary: 'Catalog changes as server-sent events: `entity` {type: upserted|removed, entityRef}, `location` {locationId, errorCount}',
        responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
    },
    '/locations': {
      get: { tags, summary: 'Registered and configured locations', responses: { 200: { description: 'Locations', ...json({ type: 'array', items: { type: 'object', properties: { data: ref('Location') } } }) } } },
      post: {
        tags,
        summary: 'Register a location (dryRun=true only reads it)',
        parameters: [q('dryRun', 'true to only read', { enum: ['true', 'false'] }), q('onConflict', 'reject (409) or refresh', { enum: ['reject', 'refresh'] })],
        requestBody: json({ type: 'object', required: ['type', 'target'], properties: { type: { enum: ['file', 'url', 'git'] }, target: { type: 'string' }, presence: { enum: ['required', 'optional'] } } }),
        responses: { 201: { description: 'Registered', ...json({ type: 'object', properties: { location: ref('Location'), entities: { type: 'array', items: ref('Entity') }, exists: { type: 'boolean' } } }) }, 400: err('Malformed or unreadable'), 403: err('File outside allowed roots'), 409: err('Already registered') },
      },
    },
    '/providers': {
      get: {
        tags,
        summary: 'Entity providers: last mutation, entity count and errors of each (permission catalog.provider.read)',
        responses: {
          200: {
            description: 'Providers',
            ...json({
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
            }),
          },
          403: err('Not allowed'),
        },
      },
    },
    '/locations/by-query': {
      post: { tags, summary: 'Query locations', requestBody: json({ type: 'object', properties: { limit: { type: 'integer' }, query: { type: 'object' }, cursor: { type: 'string' } } }), responses: { 200: { description: 'Page of locations' } } },
    },
    '/locations/{id}': {
      get: { tags, summary: 'Location by id', parameters: [idParam], responses: { 200: { description: 'Location', ...json(ref('Location')) }, 404: err('No such location') } },
      put: { tags, summary: 'Change a registered location', parameters: [idParam], requestBody: json({ type: 'object', required: ['target'], properties: { type: { type: 'string' }, target: { type: 'string' } } }), responses: { 200: { description: 'Updated', ...json(ref('Location')) }, 404: err('No such location'), 409: err('Duplicate') } },
      delete: { tags, summary: 'Unregister a location and remove its entities', parameters: [idParam], responses: { 204: { description: 'Removed' }, 403: err('Configured location'), 404: err('No such location') } },
    },
    '/locations/{id}/status': {
      get: { tags, summary: "A location's last read: errors, conflicts, entity count", parameters: [idParam], responses: { 200: { description: 'Status' }, 404: err('No such location') } },
    },
    '/locations/by-entity/{kind}/{namespace}/{name}': {
      get: { tags, summary: 'The location that provides an entity', parameters: nameParams, responses: { 200: { description: 'Location', ...json(ref('Location')) }, 404: err('No such entity or orphaned') } },
    },
    '/analyze-location': {
      post: { tags, summary: 'What registering a location would find or generate', requestBody: json({ type: 'object', required: ['location'], properties: { location: { type: 'object' }, catalogFilename: { type: 'string' } } }), responses: { 200: { description: 'Analysis' }, 400: err('Not a URL') } },
    },
    '/validate-entity': {
      post: { tags, summary: 'Validate an entity without storing it', requestBody: json({ type: 'object', required: ['entity', 'location'], properties: { entity: { type: 'object' }, location: { type: 'string' } } }), responses: { 200: { description: 'Valid' }, 400: { description: 'Invalid: { errors: [...] }' } } },
    },
  },
};
