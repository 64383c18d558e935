import type { JsonSchema } from '../envelopeSchema.js';
import type { RelationFieldDefinition } from '../kindDefinition.js';
import { inverseRelationOf } from '../relations.js';

/** The apiVersions Backstage accepts for its built-in catalog kinds. */
export const BACKSTAGE_API_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'] as const;

export const nonEmptyString: JsonSchema = { type: 'string', minLength: 1 };

/** An array of entity refs (or other non-empty strings). */
export const stringArray: JsonSchema = { type: 'array', items: nonEmptyString };

/** Display information on User and Group entities. All fields optional. */
export const profileSchema: JsonSchema = {
  type: 'object',
  properties: {
    displayName: nonEmptyString,
    email: nonEmptyString,
    picture: nonEmptyString,
  },
};

/** A relation field of a built-in kind; the inverse comes from the built-in pair table. */
export function relationField(field: string, type: string, targetKind?: string): RelationFieldDefinition {
  const inverse = inverseRelationOf(type);
  if (!inverse) throw new Error(`No inverse known for relation type "${type}"`);
  return targetKind ? { field, type, inverse, targetKind } : { field, type, inverse };
}
