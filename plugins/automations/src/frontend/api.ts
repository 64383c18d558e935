import { apiFetch } from '@atrium/frontend-plugin-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AutomationRun, AutomationSummary, DryRunResult } from '../common';

const KEY = ['automations'] as const;

export function useAutomations() {
  return useQuery({
    queryKey: [...KEY, 'list'],
    queryFn: ({ signal }) => apiFetch<{ items: AutomationSummary[] }>('/automations/automations', { signal }),
    refetchInterval: 15_000,
  });
}

export function useAutomation(id: string) {
  return useQuery({
    queryKey: [...KEY, 'one', id],
    queryFn: ({ signal }) =>
      apiFetch<{ automation: AutomationSummary; runs: AutomationRun[] }>(`/automations/automations/${encodeURIComponent(id)}`, {
        signal,
        query: { limit: 25 },
      }),
    refetchInterval: 5_000,
  });
}

export function useAutomationActions(id: string) {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: KEY });
  return {
    pause: useMutation({ mutationFn: () => apiFetch(`/automations/automations/${encodeURIComponent(id)}/pause`, { method: 'POST', json: {} }), onSuccess }),
    resume: useMutation({ mutationFn: () => apiFetch(`/automations/automations/${encodeURIComponent(id)}/resume`, { method: 'POST', json: {} }), onSuccess }),
    redeliver: useMutation({
      mutationFn: (deliveryId: string) => apiFetch(`/automations/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, { method: 'POST', json: {} }),
      onSuccess,
    }),
    test: useMutation({
      mutationFn: (event: unknown) => apiFetch<DryRunResult>(`/automations/automations/${encodeURIComponent(id)}/test`, { method: 'POST', json: { event } }),
    }),
  };
}
