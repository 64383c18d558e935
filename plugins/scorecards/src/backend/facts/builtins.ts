import { normalizeEntityRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import { UNKNOWN, type FactProvider, type FactResult } from './types.js';

export function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}

/** The entity's spec.owner as a full lower-case ref (`group:default/team-a`). */
export function ownerRefOf(entity: Entity): string | undefined {
  return ownerRef((entity.spec as Record<string, unknown> | undefined)?.['owner']);
}

function ownerRef(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return normalizeEntityRef(owner, { defaultKind: 'group' });
  } catch {
    return undefined; // a malformed owner resolves to nothing
  }
}

function perEntity(entities: Entity[], fn: (e: Entity) => Record<string, FactResult>): Map<string, Record<string, FactResult>> {
  return new Map(entities.map((e) => [refOf(e), fn(e)]));
}

/** Facts read from the catalog entity alone or the catalog's index of refs. */
export const catalogFactProvider: FactProvider = {
  id: 'catalog',
  facts: ['ownerResolves', 'hasDescription', 'apiHasDefinition', 'dependents', 'daysSinceChange'],
  compute(entities, ctx) {
    return perEntity(entities, (e) => {
      const owner = ownerRefOf(e);
      const changedAt = ctx.changedAt(refOf(e));
      const definition = (e.spec as Record<string, unknown> | undefined)?.['definition'];
      return {
        ownerResolves: owner ? ctx.entityExists(owner) && /^(group|user):/.test(owner) : false,
        hasDescription: typeof e.metadata.description === 'string' && e.metadata.description.trim().length > 0,
        apiHasDefinition: e.kind === 'API' ? typeof definition === 'string' && definition.trim().length > 0 : UNKNOWN,
        dependents: (e.relations ?? []).filter((r) => r.type === 'dependencyOf').length,
        daysSinceChange: changedAt ? Math.floor(((ctx.now.getTime() - changedAt.getTime()) / 86_400_000) * 10) / 10 : UNKNOWN,
      };
    });
  },
};
