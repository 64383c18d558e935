import type { CompoundEntityRef, Entity } from '@atrium/catalog-model';
import { stringifyEntityRef } from '@atrium/catalog-model';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import * as api from './catalogApi';

/**
 * Query keys and hooks shared by the catalog pages. Every key starts with `catalog`, so a
 * change (register, unregister, refresh) invalidates everything the UI shows of the catalog.
 *
 * Live updates: the backend has no change feed yet, so open pages poll (LIVE_REFRESH_MS) and
 * refetch when the window regains focus. With a server-sent events endpoint, `useCatalogLive`
 * would invalidate these keys instead and the intervals could go.
 */
export const LIVE_REFRESH_MS = 10_000;
/** Lists are heavier to recompute on a large catalog, so they poll less often. */
export const LIST_REFRESH_MS = 20_000;

export const catalogKeys = {
  all: ['catalog'] as const,
  entity: (ref: string) => ['catalog', 'entity', ref] as const,
  byRefs: (refs: readonly string[], fields: readonly string[] | undefined) => ['catalog', 'by-refs', refs, fields ?? null] as const,
  facets: (facets: readonly string[], query: unknown) => ['catalog', 'facets', facets, query ?? null] as const,
  query: (request: unknown) => ['catalog', 'query', request] as const,
  list: (request: unknown) => ['catalog', 'list', request] as const,
  locations: ['catalog', 'locations'] as const,
  locationStatus: (id: string) => ['catalog', 'locations', id, 'status'] as const,
  graph: (ref: string, options: unknown) => ['catalog', 'graph', ref, options] as const,
};

/** One entity by kind, namespace and name, kept fresh while its page is open. */
export function useEntityByName(ref: CompoundEntityRef) {
  const key = stringifyEntityRef(ref);
  return useQuery({
    queryKey: catalogKeys.entity(key),
    queryFn: ({ signal }) => api.getEntityByName(ref, { signal }),
    refetchInterval: LIVE_REFRESH_MS,
  });
}

/** Fields the relation cards and link lists show of a related entity. */
export const SUMMARY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.profile',
];

/**
 * Several entities by ref, as a map from the canonical ref to the entity, or null when the
 * catalog has no such entity (an unresolved relation target).
 */
export function useEntitiesByRefs(refs: readonly string[], fields: readonly string[] | undefined = SUMMARY_FIELDS) {
  const sorted = [...new Set(refs.map((r) => r.toLowerCase()))].sort();
  return useQuery({
    queryKey: catalogKeys.byRefs(sorted, fields),
    queryFn: async ({ signal }) => {
      const items = await api.getEntitiesByRefs(sorted, { signal, ...(fields ? { fields: [...fields] } : {}) });
      return new Map<string, Entity | null>(sorted.map((ref, index) => [ref, items[index] ?? null]));
    },
    enabled: sorted.length > 0,
    refetchInterval: LIVE_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

/** Invalidates everything the UI has read from the catalog, after a change the user made. */
export function useInvalidateCatalog(): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: catalogKeys.all }), [client]);
}
