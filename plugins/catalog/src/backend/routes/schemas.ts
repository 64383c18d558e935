import type { JsonSchema } from '@atrium/backend-plugin-api';

const stringOrList: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const nonNegativeInt: JsonSchema = { type: 'integer', minimum: 0 };

export const getEntitiesQuery: JsonSchema = {
  type: 'object',
  properties: { filter: stringOrList, fields: stringOrList, order: stringOrList, offset: nonNegativeInt, limit: nonNegativeInt, after: { type: 'string' } },
};

export const queryEntitiesQuery: JsonSchema = {
  type: 'object',
  properties: {
    filter: stringOrList,
    fields: stringOrList,
    orderField: stringOrList,
    cursor: { type: 'string', minLength: 1 },
    limit: nonNegativeInt,
    offset: nonNegativeInt,
    fullTextFilterTerm: { type: 'string' },
    fullTextFilterFields: stringOrList,
    totalItems: { enum: ['include', 'exclude'] },
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

export const byRefsQuery: JsonSchema = { type: 'object', properties: { filter: stringOrList } };

export const facetsQuery: JsonSchema = {
  type: 'object',
  required: ['facet'],
  properties: { facet: stringOrList, filter: stringOrList },
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
  properties: { dryRun: { enum: ['true', 'false'] }, onConflict: { enum: ['reject', 'refresh'] } },
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
