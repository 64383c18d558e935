import type { CatalogRule } from './types.js';

export interface RulesChecker {
  allows(kind: string, specType: unknown): boolean;
  /** For messages: the allowed kinds, as configured. */
  describe(): string;
}

/**
 * Backstage's `catalog.rules`: an entity is accepted when any rule allows its kind (and,
 * for `{ kind, spec.type }` items, its spec.type). Undefined rules allow everything.
 */
export function createRulesChecker(...ruleSets: Array<CatalogRule[] | undefined>): RulesChecker | undefined {
  if (ruleSets.every((r) => r === undefined)) return undefined;
  const anyType = new Set<string>();
  const byType = new Map<string, Set<string>>();
  const labels: string[] = [];
  for (const rule of ruleSets.flatMap((r) => r ?? [])) {
    for (const item of rule.allow ?? []) {
      if (typeof item === 'string') {
        anyType.add(item.toLowerCase());
        labels.push(item);
      } else if (item && typeof item.kind === 'string') {
        const kind = item.kind.toLowerCase();
        const specType = item['spec.type'];
        if (specType === undefined) {
          anyType.add(kind);
          labels.push(item.kind);
        } else {
          let types = byType.get(kind);
          if (!types) byType.set(kind, (types = new Set()));
          types.add(specType.toLowerCase());
          labels.push(`${item.kind} (spec.type ${specType})`);
        }
      }
    }
  }
  const described = [...new Set(labels)].join(', ') || 'none';
  return {
    allows(kind, specType) {
      const k = kind.toLowerCase();
      if (anyType.has(k)) return true;
      const types = byType.get(k);
      return !!types && typeof specType === 'string' && types.has(specType.toLowerCase());
    },
    describe: () => described,
  };
}
