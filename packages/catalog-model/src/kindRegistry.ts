import { apiVersionsOf, type KindDefinition } from './kindDefinition.js';
import { BUILTIN_KINDS } from './kinds/index.js';

/** Looks up the definition that governs an entity: built-in kinds first, then custom ones. */
export type KindRegistry = {
  readonly kinds: readonly KindDefinition[];
  /** The definition for this exact kind (case-sensitive) and apiVersion. */
  find(apiVersion: string, kind: string): KindDefinition | undefined;
  /** Every definition of this kind name, whatever its apiVersion. */
  withKind(kind: string): KindDefinition[];
  /**
   * The definition whose relation fields apply: the exact match, else the first with this
   * kind name. Backstage's processors emit relations by kind alone, whatever the apiVersion.
   */
  forRelations(apiVersion: unknown, kind: unknown): KindDefinition | undefined;
};

export function createKindRegistry(customKinds: readonly KindDefinition[] = []): KindRegistry {
  const kinds = [...BUILTIN_KINDS, ...customKinds];
  const find = (apiVersion: string, kind: string) => kinds.find((k) => k.kind === kind && apiVersionsOf(k).includes(apiVersion));
  const withKind = (kind: string) => kinds.filter((k) => k.kind === kind);
  return {
    kinds,
    find,
    withKind,
    forRelations: (apiVersion, kind) =>
      typeof kind !== 'string' ? undefined : ((typeof apiVersion === 'string' ? find(apiVersion, kind) : undefined) ?? withKind(kind)[0]),
  };
}
