import type { CompoundEntityRef, Entity } from '@atrium/catalog-model';
import type {
  AddLocationResponse,
  AnalyzeLocationResponse,
  EntityAncestryResponse,
  EntityFacetsResponse,
  EntityOrder,
  FilterPredicate,
  GetEntitiesByRefsResponse,
  Location,
  LocationStatus,
  LocationType,
  QueryEntitiesResponse,
} from '@atrium/plugin-catalog/common';
import { apiFetch } from '@atrium/frontend-plugin-api';

/**
 * The catalog's REST API at /api/catalog (Backstage's shapes), as the UI calls it. Each
 * function is one request; caching, polling and invalidation live in the query hooks.
 */

export interface QueryEntitiesRequest {
  query?: FilterPredicate;
  orderBy?: EntityOrder[];
  fullTextFilter?: { term: string; fields?: string[] };
  fields?: string[];
  limit: number;
  totalItems?: 'include' | 'exclude';
}

type Signal = { signal?: AbortSignal };

const path = (ref: CompoundEntityRef) => [ref.kind, ref.namespace, ref.name].map(encodeURIComponent).join('/');

/** First page of a predicate query (POST, so the cursor it hands back carries the predicate). */
export function queryEntities(request: QueryEntitiesRequest, options: Signal = {}): Promise<QueryEntitiesResponse> {
  return apiFetch('/catalog/entities/by-query', { json: request, signal: options.signal });
}

/** A following page: the cursor carries the filter and order; `fields` and `limit` may be given again. */
export function queryEntitiesPage(cursor: string, request: { fields?: string[]; limit: number }, options: Signal = {}): Promise<QueryEntitiesResponse> {
  return apiFetch('/catalog/entities/by-query', { json: { cursor, ...request }, signal: options.signal });
}

export function getEntityByName(ref: CompoundEntityRef, options: Signal = {}): Promise<Entity> {
  return apiFetch(`/catalog/entities/by-name/${path(ref)}`, { signal: options.signal });
}

export function getEntityAncestry(ref: CompoundEntityRef, options: Signal = {}): Promise<EntityAncestryResponse> {
  return apiFetch(`/catalog/entities/by-name/${path(ref)}/ancestry`, { signal: options.signal });
}

/** Backstage's client chunks by-refs requests; 500 refs stays well under the body limit. */
const REFS_PER_REQUEST = 500;

/** Entities in the order of `refs`; null where the catalog has no such entity. */
export async function getEntitiesByRefs(refs: readonly string[], options: Signal & { fields?: string[] } = {}): Promise<Array<Entity | null>> {
  const items: Array<Entity | null> = [];
  for (let start = 0; start < refs.length; start += REFS_PER_REQUEST) {
    const chunk = refs.slice(start, start + REFS_PER_REQUEST);
    const response = await apiFetch<GetEntitiesByRefsResponse>('/catalog/entities/by-refs', {
      json: { entityRefs: chunk, ...(options.fields ? { fields: options.fields } : {}) },
      signal: options.signal,
    });
    items.push(...response.items);
  }
  return items;
}

export function getEntityFacets(facets: readonly string[], query: FilterPredicate | undefined, options: Signal = {}): Promise<EntityFacetsResponse> {
  return apiFetch('/catalog/entity-facets', {
    json: { facets, ...(query ? { query } : {}) },
    signal: options.signal,
  });
}

export function refreshEntity(entityRef: string): Promise<void> {
  return apiFetch('/catalog/refresh', { json: { entityRef } });
}

export function removeEntityByUid(uid: string): Promise<void> {
  return apiFetch(`/catalog/entities/by-uid/${encodeURIComponent(uid)}`, { method: 'DELETE' });
}

export async function getLocations(options: Signal = {}): Promise<Location[]> {
  const rows = await apiFetch<Array<{ data: Location }>>('/catalog/locations', { signal: options.signal });
  return rows.map((row) => row.data);
}

/** Atrium's extension: how the last read of a location went. */
export function getLocationStatus(id: string, options: Signal = {}): Promise<LocationStatus> {
  return apiFetch(`/catalog/locations/${encodeURIComponent(id)}/status`, { signal: options.signal });
}

export function getLocationByEntity(ref: CompoundEntityRef, options: Signal = {}): Promise<Location> {
  return apiFetch(`/catalog/locations/by-entity/${path(ref)}`, { signal: options.signal });
}

export function addLocation(
  location: { type: LocationType; target: string },
  options: { dryRun?: boolean; onConflict?: 'reject' | 'refresh'; signal?: AbortSignal } = {},
): Promise<AddLocationResponse> {
  return apiFetch('/catalog/locations', {
    json: location,
    query: { dryRun: options.dryRun ? 'true' : undefined, onConflict: options.onConflict },
    signal: options.signal,
  });
}

export function removeLocation(id: string): Promise<void> {
  return apiFetch(`/catalog/locations/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function analyzeLocation(location: { type: LocationType; target: string }, options: Signal = {}): Promise<AnalyzeLocationResponse> {
  return apiFetch('/catalog/analyze-location', { json: { location }, signal: options.signal });
}
