import { apiFetch, type PermissionDecisionView } from '@atrium/frontend-plugin-api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';

/** One decision of `POST /api/permissions/explain`, with the deciding rule as text. */
export interface ExplainedDecision extends PermissionDecisionView {
  rule?: string;
}

/** `POST /api/permissions/explain` without a permission: the user's decision for every catalogue permission. */
export interface ExplainUserResponse {
  user: string;
  ownershipEntityRefs: string[];
  roles: string[];
  items: ExplainedDecision[];
}

/** `POST /api/permissions/explain` with a permission (and maybe a target). */
export type ExplainOneResponse = Omit<ExplainUserResponse, 'items'> & ExplainedDecision;

export interface CataloguePermission {
  name: string;
  description: string;
  action: string;
  resourceType?: string;
  declaredBy: string;
}

/** A User entity as the picker lists it. */
export interface UserOption {
  value: string;
  label: string;
}

export function useExplainUser(user: string | undefined) {
  return useQuery({
    queryKey: ['system', 'permissions', 'explain', user],
    queryFn: ({ signal }) => apiFetch<ExplainUserResponse>('/permissions/explain', { json: { user }, signal }),
    enabled: Boolean(user),
    staleTime: 0,
  });
}

export function explainOne(request: { user: string; permission: string; resourceRef?: string }): Promise<ExplainOneResponse> {
  return apiFetch<ExplainOneResponse>('/permissions/explain', { json: request });
}

export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['system', 'permissions', 'catalogue'],
    queryFn: ({ signal }) => apiFetch<{ items: CataloguePermission[] }>('/permissions/catalogue', { signal }),
    staleTime: 5 * 60_000,
  });
}

interface UserEntity {
  metadata: { name: string; namespace?: string; title?: string };
  spec?: { profile?: { displayName?: string } };
}

/** User entities whose name or display name contains `term` (the first 20), for the picker. */
export function useUserSearch(term: string) {
  return useQuery({
    queryKey: ['system', 'permissions', 'users', term],
    queryFn: async ({ signal }) => {
      const page = await apiFetch<{ items: UserEntity[] }>('/catalog/entities/by-query', {
        json: {
          query: { kind: 'user' },
          ...(term.trim() ? { fullTextFilter: { term: term.trim() } } : {}),
          fields: ['metadata.name', 'metadata.namespace', 'metadata.title', 'spec.profile.displayName'],
          orderBy: [{ field: 'metadata.name', order: 'asc' }],
          limit: 20,
        },
        signal,
      });
      return page.items.map(userOption);
    },
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function userOption(entity: UserEntity): UserOption {
  const ref = `user:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
  const name = entity.spec?.profile?.displayName ?? entity.metadata.title;
  return { value: ref, label: name ? `${name} (${ref})` : ref };
}
