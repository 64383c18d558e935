import type { Entity, JsonObject, JsonValue } from '../entity.js';
import type { JsonSchema } from '../envelopeSchema.js';
import type { KindDefinition } from '../kindDefinition.js';
import { RELATION_OWNED_BY } from '../relations.js';
import { nonEmptyString, relationField } from './shared.js';

export type TemplateStep = {
  id?: string;
  name?: string;
  /** The action to run, e.g. `fetch:template`. */
  action: string;
  input?: JsonObject;
  /** A templated condition; the step is skipped when it evaluates falsy. */
  if?: string | boolean;
  each?: JsonValue;
  [key: string]: JsonValue | undefined;
};

export type TemplateSpec = {
  type: string;
  owner?: string;
  lifecycle?: string;
  /** One JSON Schema form, or several form pages. */
  parameters?: JsonObject | JsonObject[];
  steps: TemplateStep[];
  output?: JsonObject;
  secrets?: { schema?: JsonObject };
  presentation?: JsonObject;
};

export type TemplateEntity = Entity & { kind: 'Template'; spec: TemplateSpec };

const stringOrBoolean: JsonSchema = { type: ['string', 'boolean'] };

const permissionTags: JsonSchema = {
  type: 'object',
  properties: { tags: { type: 'array', items: { type: 'string' } } },
};

const parameterPage: JsonSchema = {
  type: 'object',
  properties: { 'backstage:permissions': permissionTags },
};

/** The scaffolder's Template kind (scaffolder.backstage.io/v1beta3). */
export const templateKind: KindDefinition = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  description: 'A software template: a parameter form and the steps the scaffolder runs.',
  specSchema: {
    type: 'object',
    required: ['type', 'steps'],
    properties: {
      type: nonEmptyString,
      owner: nonEmptyString,
      lifecycle: nonEmptyString,
      // Backstage says oneOf object | array of objects; the two are disjoint, so this is the same.
      parameters: { type: ['object', 'array'], items: parameterPage, properties: parameterPage.properties },
      secrets: { type: 'object', properties: { schema: { type: 'object' } } },
      presentation: {
        type: 'object',
        properties: {
          buttonLabels: {
            type: 'object',
            properties: {
              backButtonText: { type: 'string' },
              createButtonText: { type: 'string' },
              reviewButtonText: { type: 'string' },
            },
          },
        },
      },
      EXPERIMENTAL_recovery: {
        type: 'object',
        properties: { EXPERIMENTAL_strategy: { type: 'string' } },
      },
      EXPERIMENTAL_formDecorators: {
        type: 'array',
        items: { type: 'object', properties: { id: { type: 'string' }, input: { type: 'object' } } },
      },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          required: ['action'],
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            action: { type: 'string' },
            input: { type: 'object' },
            if: stringOrBoolean,
            'backstage:permissions': permissionTags,
          },
        },
      },
      output: {
        type: 'object',
        properties: {
          links: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                if: stringOrBoolean,
                url: nonEmptyString,
                entityRef: nonEmptyString,
                title: nonEmptyString,
                icon: nonEmptyString,
              },
            },
          },
          text: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                if: stringOrBoolean,
                title: nonEmptyString,
                icon: nonEmptyString,
                content: { type: 'string' },
              },
            },
          },
        },
        // Any other output is a (templated) string.
        additionalProperties: { type: 'string' },
      },
    },
  },
  // Backstage emits this from its scaffolder entity-model module rather than the built-in processor.
  relations: [relationField('owner', RELATION_OWNED_BY, 'Group')],
};
