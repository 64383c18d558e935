import { InputError, validateInput, type JsonSchema } from '@atrium/backend-plugin-api';
import type { EntityProviderMutation } from '../../common/index.js';

const deferred = {
  type: 'object',
  required: ['entity'],
  properties: { entity: { type: 'object' }, locationKey: { type: 'string', minLength: 1, maxLength: 2000 }, authoritative: { type: 'boolean' } },
} as const;

/** The shape of a mutation; each entity in it is then validated on its own (one bad entity fails alone). */
const mutationSchema: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['type', 'entities'],
      additionalProperties: false,
      properties: { type: { const: 'full' }, entities: { type: 'array', items: deferred } },
    },
    {
      type: 'object',
      required: ['type', 'added', 'removed'],
      additionalProperties: false,
      properties: {
        type: { const: 'delta' },
        added: { type: 'array', items: deferred },
        removed: {
          type: 'array',
          items: { oneOf: [deferred, { type: 'object', required: ['entityRef'], properties: { entityRef: { type: 'string', minLength: 1 } } }] },
        },
      },
    },
  ],
} as unknown as JsonSchema;

/** Provider names own stored entities, so they stay short and plain. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function checkProviderName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new InputError(
      `Invalid entity provider name ${JSON.stringify(name)}: use letters, digits, '.', '_' or '-' (at most 100, starting with a letter or digit)`,
    );
  }
  return name;
}

export function checkMutation(provider: string, mutation: unknown): EntityProviderMutation {
  try {
    return validateInput<EntityProviderMutation>(mutationSchema, mutation, 'body');
  } catch (e) {
    if (e instanceof InputError) {
      throw new InputError(
        `Entity provider ${provider} applied an invalid mutation: ${e.message.replace(/^Invalid request body: /, '')} (expected { type: 'full', entities } or { type: 'delta', added, removed })`,
      );
    }
    throw e;
  }
}
