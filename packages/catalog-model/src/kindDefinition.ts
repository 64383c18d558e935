import { entityEnvelopeSchema, type JsonSchema } from './envelopeSchema.js';

/**
 * A spec field whose value is an entity ref (or an array of refs) that becomes a relation.
 * The source entity gets `type` towards each target; the target gets `inverse` back.
 */
export type RelationFieldDefinition = {
  /**
   * Dot path into `spec`, e.g. `owner` or `deployment.cluster`. A leading `spec.` is
   * accepted and ignored. The value may be one ref or an array of refs.
   */
  field: string;
  /** Relation from the entity to the target, e.g. `ownedBy`. Word characters only. */
  type: string;
  /** Relation from the target back to the entity, e.g. `ownerOf`. Word characters only. */
  inverse: string;
  /** Kind assumed when a ref names none (e.g. `Group`). Without it, refs must say `kind:`. */
  targetKind?: string;
};

/**
 * Everything the catalog needs to know about a kind: which apiVersions it answers to, the
 * JSON Schema of its `spec`, and which spec fields produce relations. Built-in kinds are
 * described with this same type, so a custom kind is exactly as capable as a built-in one.
 */
export type KindDefinition = {
  /** One apiVersion or several, e.g. `['backstage.io/v1alpha1', 'backstage.io/v1beta1']`. */
  apiVersion: string | readonly string[];
  /** Case-sensitive, as in Backstage: `Component`, not `component`. */
  kind: string;
  /** JSON Schema (draft-07) for `spec`. Entities of a kind with a spec schema must have a spec. */
  specSchema: JsonSchema;
  relations?: readonly RelationFieldDefinition[];
  description?: string;
};

/** A kind declared without code, in config or as data. Same shape as a built-in kind. */
export type CustomKindDefinition = KindDefinition;

export function apiVersionsOf(definition: Pick<KindDefinition, 'apiVersion'>): readonly string[] {
  return typeof definition.apiVersion === 'string' ? [definition.apiVersion] : definition.apiVersion;
}

/** The spec path of a relation field, without any leading `spec.`. */
export function specFieldPath(field: string): string {
  return field.startsWith('spec.') ? field.slice('spec.'.length) : field;
}

/**
 * A JSON Schema for whole entities of one kind (envelope plus spec), for editors and
 * documentation. Validation itself goes through createEntityValidator, which gives better
 * messages for the metadata format rules than a schema can.
 */
export function entitySchemaForKind(definition: KindDefinition): JsonSchema {
  const { $schema, ...envelope } = entityEnvelopeSchema;
  return {
    $schema,
    ...(definition.description ? { description: definition.description } : {}),
    allOf: [
      envelope,
      {
        type: 'object',
        required: ['spec'],
        properties: {
          apiVersion: { enum: [...apiVersionsOf(definition)] },
          kind: { const: definition.kind },
          spec: definition.specSchema,
        },
      },
    ],
  };
}
