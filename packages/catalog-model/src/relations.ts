/**
 * Backstage's relation types. Every relation comes in a pair: when entity A has
 * `ownedBy` B, entity B has `ownerOf` A.
 */

export const RELATION_OWNED_BY = 'ownedBy';
export const RELATION_OWNER_OF = 'ownerOf';
export const RELATION_CONSUMES_API = 'consumesApi';
export const RELATION_API_CONSUMED_BY = 'apiConsumedBy';
export const RELATION_PROVIDES_API = 'providesApi';
export const RELATION_API_PROVIDED_BY = 'apiProvidedBy';
export const RELATION_DEPENDS_ON = 'dependsOn';
export const RELATION_DEPENDENCY_OF = 'dependencyOf';
export const RELATION_PARENT_OF = 'parentOf';
export const RELATION_CHILD_OF = 'childOf';
export const RELATION_MEMBER_OF = 'memberOf';
export const RELATION_HAS_MEMBER = 'hasMember';
export const RELATION_PART_OF = 'partOf';
export const RELATION_HAS_PART = 'hasPart';

/** The built-in pairs, each as [relation, inverse]. */
export const RELATION_PAIRS: ReadonlyArray<readonly [string, string]> = [
  [RELATION_OWNED_BY, RELATION_OWNER_OF],
  [RELATION_CONSUMES_API, RELATION_API_CONSUMED_BY],
  [RELATION_PROVIDES_API, RELATION_API_PROVIDED_BY],
  [RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF],
  [RELATION_PARENT_OF, RELATION_CHILD_OF],
  [RELATION_MEMBER_OF, RELATION_HAS_MEMBER],
  [RELATION_PART_OF, RELATION_HAS_PART],
];

const inverses = new Map<string, string>(
  RELATION_PAIRS.flatMap(([a, b]) => [
    [a, b],
    [b, a],
  ]),
);

/** The inverse of a built-in relation type (`ownedBy` → `ownerOf`), or undefined if unknown. */
export function inverseRelationOf(type: string): string | undefined {
  return inverses.get(type);
}

/** Relation types must be word characters only (Backstage's schema: `^\w+$`). */
export const RELATION_TYPE_PATTERN = /^\w+$/;
