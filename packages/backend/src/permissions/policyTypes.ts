/** A value or a list of values (any of them matches). */
export type OneOrMany = string | string[];

/** Conditions on the target entity; every condition given must hold (a list value means any of it). */
export interface PolicyConditions {
  /** The caller owns the entity (spec.owner / ownedBy ∈ the caller's ownership refs); `false`: does not. */
  isEntityOwner?: boolean;
  kind?: OneOrMany;
  namespace?: OneOrMany;
  /** spec.type */
  type?: OneOrMany;
  /** spec.lifecycle */
  lifecycle?: OneOrMany;
  /** A label key (`tier`) or key and value (`tier=gold`). */
  hasLabel?: OneOrMany;
  /** An annotation key or key and value. */
  hasAnnotation?: OneOrMany;
  /** One of these tags in metadata.tags. */
  hasTag?: OneOrMany;
}

export type ConditionName = keyof PolicyConditions;
export const CONDITION_NAMES: readonly ConditionName[] = ['isEntityOwner', 'kind', 'namespace', 'type', 'lifecycle', 'hasLabel', 'hasAnnotation', 'hasTag'];

export interface PolicyRule {
  id?: string;
  effect: 'allow' | 'deny';
  /** Permission names, `<plugin>.*`-style prefixes, or `*`. */
  permissions: string[];
  /** Role names from `roles`. */
  roles?: string[];
  /** User or group refs the caller must own through, or `guest`. */
  subjects?: string[];
  conditions?: PolicyConditions;
}

export interface PolicyRole {
  /** User and group refs; a caller is a member when its ownership refs include one. */
  members: string[];
}

/** `permission.policy` in app-config. */
export interface PermissionPolicy {
  roles?: Record<string, PolicyRole>;
  rules: PolicyRule[];
}

/** The special subject that names the unauthenticated guest. */
export const GUEST_SUBJECT = 'guest';
