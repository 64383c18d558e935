import { apiVersionsOf, type KindDefinition } from './kindDefinition.js';
import { BUILTIN_KINDS } from './kinds/index.js';

/** Looks up the definition that governs an entity: built-in kinds first, then custom ones. */
export type KindRegistry = {
  readonly kinds: readonly KindDefinition[];
  /** The definition for this exact kind (case-sensitive) and apiVersion. */
  find(apiVersion: string, kind: string): KindDefinition | undefined;
  /** Every definition of this kind name, whatever its apiVersion. */
  withKind(kind: string): KindDefinition[];
};

export function createKindRegistry(customKinds: readonly KindDefinition[] = []): KindRegistry {
  const kinds = [...BUILTIN_KINDS, ...customKinds];
  return {
    kinds,
    find: (apiVersion, kind) =>
      kinds.find((k) => k.kind === kind && apiVersionsOf(k).includes(apiVersion)),
    withKind: (kind) => kinds.filter((k) => k.kind === kind),
  };
}
