import type { JsonSchema } from '@atrium/backend-plugin-api';

const stringOrList: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const nonNegativeInt: JsonSchema = { type: 'integer', minimum: 0 };
/** A query parameter given once or repeated, with what it means (the description goes to the OpenAPI document). */
const repeatable = (description: string): JsonSchema => ({ ...stringOrList, description });
const described = (schema: JsonSchema, description: string): JsonSchema => ({ ...schema, description });
const filterParam = repeatable('AND-set of key=value or key conditions, comma-separated (kind=component,spec.type=service); repeat to OR sets');
const fieldsParam = repeatable('Comma-separated dot paths to return (metadata.name,kind); may be repeated');

export const getEntitiesQuery: JsonSchema = {
  type: 'object',
  properties: {
    filter: filterParam,
    fields: fieldsParam,
    order: repeatable('asc:<field> or desc:<field>; repeat for more keys'),
    offset: described(nonNegativeInt, 'Skip this many'),
    limit: described(nonNegativeInt, 'At most this many (a link header points to the next page)'),
    after: { type: 'string', description: 'Opaque cursor from the link header of the previous page' },
  },
};

export const queryEntitiesQuery: JsonSchema = {
  type: 'object',
  properties: {
    filter: filterParam,
    fields: fieldsParam,
    orderField: repeatable('<field>,asc or <field>,desc; repeat for more keys'),
    cursor: { type: 'string', minLength: 1, description: 'pageInfo.nextCursor or prevCursor of a previous page' },
    limit: described(nonNegativeInt, 'Page size (default 200)'),
    offset: described(nonNegativeInt, 'Skip this many'),
    fullTextFilterTerm: { type: 'string', description: 'Words to search for (prefix match)' },
    fullTextFilterFields: repeatable('Comma-separated fields to search in'),
    totalItems: { enum: ['include', 'exclude'], description: 'exclude to skip counting totalItems' },
  },
};

export const queryEntitiesBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query: { type: 'object' },
    orderBy: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field'],
        additionalProperties: false,
        properties: { field: { type: 'string', minLength: 1 }, order: { enum: ['asc', 'desc'] } },
      },
    },
    fullTextFilter: {
      type: 'object',
      additionalProperties: false,
      properties: { term: { type: 'string' }, fields: { type: 'array', items: { type: 'string' } } },
    },
    fields: { type: 'array', items: { type: 'string', minLength: 1 } },
    limit: nonNegativeInt,
    offset: nonNegativeInt,
    cursor: { type: 'string', minLength: 1 },
    totalItems: { enum: ['include', 'exclude'] },
  },
};

export const byRefsBody: JsonSchema = {
  type: 'object',
  required: ['entityRefs'],
  additionalProperties: false,
  properties: {
    entityRefs: { type: 'array', maxItems: 10_000, items: { type: 'string' } },
    fields: { type: 'array', items: { type: 'string', minLength: 1 } },
    query: { type: 'object' },
  },
};

export const byRefsQuery: JsonSchema = { type: 'object', properties: { filter: filterParam } };

export const facetsQuery: JsonSchema = {
  type: 'object',
  required: ['facet'],
  properties: { facet: repeatable('Field to count the values of; repeat for more'), filter: filterParam },
};

export const facetsBody: JsonSchema = {
  type: 'object',
  required: ['facets'],
  additionalProperties: false,
  properties: { facets: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } }, query: { type: 'object' } },
};

export const refreshBody: JsonSchema = {
  type: 'object',
  required: ['entityRef'],
  properties: { entityRef: { type: 'string', minLength: 1 }, authorizationToken: { type: 'string' } },
};

export const addLocationBody: JsonSchema = {
  type: 'object',
  required: ['type', 'target'],
  additionalProperties: false,
  properties: {
    type: { enum: ['file', 'url', 'git'] },
    target: { type: 'string', minLength: 1, maxLength: 4096 },
    presence: { enum: ['required', 'optional'] },
  },
};

export const addLocationQuery: JsonSchema = {
  type: 'object',
  properties: {
    dryRun: { enum: ['true', 'false'], description: 'true to only read the location and return what it holds' },
    onConflict: { enum: ['reject', 'refresh'], description: 'reject (409, the default) or refresh an already registered location' },
  },
};

export const updateLocationBody: JsonSchema = {
  type: 'object',
  required: ['target'],
  additionalProperties: false,
  properties: { type: { enum: ['file', 'url', 'git'] }, target: { type: 'string', minLength: 1, maxLength: 4096 } },
};

export const queryLocationsBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 0, maximum: 10_000 }, query: { type: 'object' }, cursor: { type: 'string', minLength: 1 } },
};

export const analyzeLocationBody: JsonSchema = {
  type: 'object',
  required: ['location'],
  properties: {
    location: {
      type: 'object',
      required: ['target'],
      properties: { type: { type: 'string' }, target: { type: 'string', minLength: 1 } },
    },
    catalogFilename: { type: 'string' },
    catalogFileName: { type: 'string' },
  },
};

export const validateEntityBody: JsonSchema = {
  type: 'object',
  required: ['entity', 'location'],
  properties: { entity: {}, location: { type: 'string', minLength: 1 } },
};

export const entityNameParams: JsonSchema = {
  type: 'object',
  required: ['kind', 'namespace', 'name'],
  properties: { kind: { type: 'string', minLength: 1 }, namespace: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
};

export const uidParams: JsonSchema = {
  type: 'object',
  required: ['uid'],
  properties: { uid: { type: 'string', minLength: 1, description: 'metadata.uid of the entity' } },
};

export const locationIdParams: JsonSchema = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, description: 'The location id' } },
};
