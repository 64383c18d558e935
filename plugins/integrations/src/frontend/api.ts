import { apiFetch } from '@atrium/frontend-plugin-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectionTestResult, DiscoveryStatus, IntegrationSummary, NewIntegration } from '../common';

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
