import type { Entity } from '@atrium/catalog-model';
import { stringifyEntityRef } from '@atrium/catalog-model';
import { useQuery } from '@tanstack/react-query';
import { getEntitiesByRefs } from '../api/catalogApi';
import { LIVE_REFRESH_MS } from '../api/queries';
import { relationTargets } from '../components/entityDisplay';

const GROUP_FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'spec.profile', 'spec.type', 'relations'];
/** Hierarchies deeper than this are cut off rather than walked forever (cycles are possible in bad data). */
const MAX_DEPTH = 12;

/** The chain of parents of a group, nearest first. */
export function useGroupAncestors(group: Entity) {
  const ref = stringifyEntityRef(group);
  return useQuery({
    queryKey: ['catalog', 'group-ancestors', ref, group.metadata.etag ?? null],
    queryFn: async ({ signal }) => {
      const chain: Array<{ ref: string; entity: Entity | null }> = [];
      const seen = new Set([ref]);
      let parent = relationTargets(group, 'childOf')[0];
      while (parent && !seen.has(parent) && chain.length < MAX_DEPTH) {
        seen.add(parent);
        const [entity] = await getEntitiesByRefs([parent], { fields: GROUP_FIELDS, signal });
        chain.push({ ref: parent, entity: entity ?? null });
        parent = entity ? relationTargets(entity, 'childOf')[0] : undefined;
      }
      return chain;
    },
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** A group and every group below it, for "include sub-groups" views. Breadth first, one request per level. */
export function useGroupDescendants(group: Entity, enabled: boolean) {
  const ref = stringifyEntityRef(group);
  return useQuery({
    queryKey: ['catalog', 'group-descendants', ref, group.metadata.etag ?? null],
    queryFn: async ({ signal }) => {
      const all = new Set([ref]);
      let level = relationTargets(group, 'parentOf').filter((r) => !all.has(r));
      for (let depth = 0; level.length > 0 && depth < MAX_DEPTH; depth++) {
        level.forEach((r) => all.add(r));
        const children = await getEntitiesByRefs(level, { fields: ['relations'], signal });
        level = [...new Set(children.flatMap((c) => (c ? relationTargets(c, 'parentOf') : [])))].filter((r) => !all.has(r));
      }
      return [...all];
    },
    enabled,
    refetchInterval: LIVE_REFRESH_MS,
  });
}
