import type { JsonSchema } from '@atrium/backend-plugin-api';

const oneOrMany: JsonSchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
  ],
};

const entityRefOrGuest: JsonSchema = {
  type: 'string',
  pattern: '^(guest|(user|group):[^/:\\s]+/[^/:\\s]+)$',
  description: 'A user or group ref with its namespace (user:default/jdoe, group:default/platform), or guest',
};

/** The value each condition takes. */
const conditionValueSchemas: Record<string, JsonSchema> = {
  isEntityOwner: { type: 'boolean' },
  kind: oneOrMany,
  namespace: oneOrMany,
  type: oneOrMany,
  lifecycle: oneOrMany,
  hasLabel: oneOrMany,
  hasAnnotation: oneOrMany,
  hasTag: oneOrMany,
};

/** JSON Schema of the `permission` config section (the first validation pass, by ajv). */
export const permissionConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    trustedLocations: {
      type: 'array',
      description: 'Locations (each also one of catalog.locations) whose Policy entities extend permission.policy',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'target'],
        properties: { type: { type: 'string', minLength: 1 }, target: { type: 'string', minLength: 1 } },
      },
    },
    policy: {
      type: 'object',
      additionalProperties: false,
      required: ['rules'],
      properties: {
        roles: {
          type: 'object',
          propertyNames: { pattern: '^[a-z][a-z0-9-]*$' },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['members'],
            properties: { members: { type: 'array', items: entityRefOrGuest } },
          },
        },
        rules: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['effect', 'permissions'],
            properties: {
              id: { type: 'string', minLength: 1 },
              effect: { enum: ['allow', 'deny'] },
              permissions: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(\\*|[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*(\\.\\*)?)$' } },
              roles: { type: 'array', minItems: 1, items: { type: 'string' } },
              subjects: { type: 'array', minItems: 1, items: entityRefOrGuest },
              // An unknown condition is an unknown key: the start stops naming it, its file and a suggestion.
              conditions: { type: 'object', additionalProperties: false, minProperties: 1, properties: conditionValueSchemas },
            },
          },
        },
      },
    },
  },
};
