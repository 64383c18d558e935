import { apiFetch } from '@atrium/frontend-plugin-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectionTestResult, DiscoveryStatus, EntityScmSummary, IntegrationSummary, NewIntegration } from '../common';

const KEY = ['integrations'] as const;

export function useIntegrations() {
  return useQuery({
    queryKey: [...KEY, 'list'],
    queryFn: ({ signal }) => apiFetch<{ items: IntegrationSummary[] }>('/integrations/integrations', { signal }),
  });
}

/** Discovery state of every target; polled while any target is scanning or paused. */
export function useDiscoveryStatus() {
  return useQuery({
    queryKey: [...KEY, 'discovery'],
    queryFn: ({ signal }) => apiFetch<{ items: DiscoveryStatus[] }>('/integrations/discovery', { signal }),
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.status === 'scanning' || s.status === 'paused') ? 2_000 : 15_000),
  });
}

export function useIntegrationActions() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  return {
    create: useMutation({
      mutationFn: (body: NewIntegration) => apiFetch<IntegrationSummary>('/integrations/integrations', { method: 'POST', json: body }),
      onSuccess: refresh,
    }),
    test: useMutation({
      mutationFn: (id: string) => apiFetch<ConnectionTestResult>(`/integrations/integrations/${encodeURIComponent(id)}/test`, { method: 'POST', json: {} }),
      onSuccess: refresh,
    }),
    run: useMutation({
      mutationFn: (id: string) => apiFetch<unknown>(`/integrations/integrations/${encodeURIComponent(id)}/run`, { method: 'POST', json: {} }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => apiFetch<unknown>(`/integrations/integrations/${encodeURIComponent(id)}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}

/** Where an entity is: kind, namespace, name (the entity page's own). */
export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

const scmPath = (e: EntityName) =>
  `/integrations/entity/${encodeURIComponent(e.kind.toLowerCase())}/${encodeURIComponent(e.namespace.toLowerCase())}/${encodeURIComponent(e.name)}/scm`;

/**
 * The entity's repository (CI runs, open pull/merge requests, last commit). The server keeps
 * the provider's answer 60 s; `refresh` asks the provider now and puts the answer in the cache.
 */
export function useEntityScm(entity: EntityName) {
  const client = useQueryClient();
  const queryKey = [...KEY, 'scm', entity.kind.toLowerCase(), entity.namespace.toLowerCase(), entity.name];
  const query = useQuery({
    queryKey,
    queryFn: ({ signal }) => apiFetch<EntityScmSummary>(scmPath(entity), { signal }),
    retry: false,
    staleTime: 30_000,
  });
  const refresh = useMutation({
    mutationFn: () => apiFetch<EntityScmSummary>(scmPath(entity), { query: { refresh: true } }),
    onSuccess: (data) => client.setQueryData(queryKey, data),
  });
  return { query, refresh };
}
