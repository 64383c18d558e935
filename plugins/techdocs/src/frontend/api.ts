import { apiFetch } from '@atrium/frontend-plugin-api';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  tripletPath,
  type BuildRequestResponse,
  type DocsEntityDetail,
  type DocsEntityList,
  type DocsOwnerList,
  type DocsPage,
  type DocsSearchResponse,
  type DocsSite,
  type EntityTriplet,
} from '../common';

const PAGE_SIZE = 50;
const key = (t: EntityTriplet) => tripletPath(t);

/** `GET /api/techdocs/entities`, page by page, filtered by title and owner (docs home). */
export function useDocsEntities(filter: { q: string; owner: string | null }) {
  return useInfiniteQuery({
    queryKey: ['techdocs', 'entities', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      apiFetch<DocsEntityList>('/techdocs/entities', {
        query: { q: filter.q || undefined, owner: filter.owner ?? undefined, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      }),
    getNextPageParam: (last) => last.pageInfo.nextCursor,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((i) => i.build.status === 'queued' || i.build.status === 'building')) ? 3000 : false),
  });
}

export function useDocsOwners() {
  return useQuery({ queryKey: ['techdocs', 'owners'], queryFn: ({ signal }) => apiFetch<DocsOwnerList>('/techdocs/owners', { signal }), staleTime: 30_000 });
}

/** Build status and log of one entity; polls while a build is queued or running. */
export function useDocsEntity(t: EntityTriplet) {
  return useQuery({
    queryKey: ['techdocs', 'entity', key(t)],
    queryFn: ({ signal }) => apiFetch<DocsEntityDetail>(`/techdocs/entities/${key(t)}`, { signal }),
    refetchInterval: (q) => (q.state.data && (q.state.data.build.status === 'queued' || q.state.data.build.status === 'building') ? 1500 : false),
    retry: (count, error) => count < 2 && (error as { status?: number }).status !== 404,
  });
}

export function useDocsSite(t: EntityTriplet, enabled: boolean, builtAt: string | null) {
  return useQuery({
    // builtAt in the key: a finished build refetches the site (the server answers 304 when unchanged).
    queryKey: ['techdocs', 'site', key(t), builtAt],
    queryFn: ({ signal }) => apiFetch<DocsSite>(`/techdocs/sites/${key(t)}`, { signal }),
    enabled,
    placeholderData: keepPreviousData,
    retry: (count, error) => count < 2 && (error as { status?: number }).status !== 404,
  });
}

export function useDocsPage(t: EntityTriplet, route: string, enabled: boolean, siteEtag: string | undefined) {
  return useQuery({
    queryKey: ['techdocs', 'page', key(t), route, siteEtag],
    queryFn: ({ signal }) => apiFetch<DocsPage>(`/techdocs/sites/${key(t)}/page`, { query: { route }, signal }),
    enabled,
    retry: (count, error) => count < 2 && (error as { status?: number }).status !== 404,
  });
}

export function useDocsSearch(term: string, entityRef?: string) {
  const trimmed = term.trim();
  return useQuery({
    queryKey: ['techdocs', 'search', entityRef ?? null, trimmed],
    queryFn: ({ signal }) => apiFetch<DocsSearchResponse>('/techdocs/search', { query: { term: trimmed, entity: entityRef, limit: 12 }, signal }),
    enabled: trimmed.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useRequestBuild(t: EntityTriplet) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (force: boolean) => apiFetch<BuildRequestResponse>(`/techdocs/builds/${key(t)}`, { method: 'POST', json: { force } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['techdocs', 'entity', key(t)] }),
  });
}
