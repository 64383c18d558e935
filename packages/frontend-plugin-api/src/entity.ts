/**
 * The shape of a catalog entity as far as frontend extensions need it.
 * Deliberately loose: the full, validated `Entity` type lives in @atrium/catalog-model,
 * and any value of that type is assignable to this one.
 */
export interface EntityLike {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  relations?: ReadonlyArray<EntityRelationLike>;
  [key: string]: unknown;
}

export interface EntityRelationLike {
  type: string;
  targetRef: string;
  [key: string]: unknown;
}

/** Decides whether an entity tab or card applies to an entity. */
export type EntityPredicate = (entity: EntityLike) => boolean;
