/**
 * JSON Schema (draft-07) for the entity envelope shared by every kind. It checks presence
 * and JSON types only; the format of names, tags, keys and URLs is checked by
 * `validateEntityFields`, which gives more precise messages than a regex pattern can.
 * Kept as a TS module rather than a .json file so it bundles in the browser.
 */

export type JsonSchema = { [keyword: string]: unknown };

const nonEmptyString = { type: 'string', minLength: 1 };

export const entityLinkSchema: JsonSchema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string' },
    title: { type: 'string' },
    icon: { type: 'string' },
    type: nonEmptyString,
  },
};

export const entityMetaSchema: JsonSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: true,
  properties: {
    uid: nonEmptyString,
    etag: nonEmptyString,
    name: { type: 'string' },
    namespace: { type: 'string' },
    title: nonEmptyString,
    description: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
    links: { type: 'array', items: entityLinkSchema },
  },
};

export const entityRelationSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'targetRef'],
  properties: {
    type: { type: 'string', minLength: 1, pattern: '^\\w+$' },
    targetRef: nonEmptyString,
  },
};

export const entityStatusSchema: JsonSchema = {
  type: 'object',
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'level', 'message'],
        properties: {
          type: nonEmptyString,
          level: { enum: ['info', 'warning', 'error'] },
          message: { type: 'string' },
          error: {
            type: 'object',
            required: ['name', 'message'],
            properties: { name: nonEmptyString, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

/** The root fields an entity may have; anything else is rejected, as in Backstage. */
export const ENTITY_ROOT_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status'] as const;

/** Root fields that the catalog produces; a descriptor file should not carry them. */
export const ENTITY_OUTPUT_FIELDS = ['relations', 'status'] as const;

export const entityEnvelopeSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata'],
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: entityMetaSchema,
    spec: { type: 'object' },
    relations: { type: 'array', items: entityRelationSchema },
    status: entityStatusSchema,
  },
};
