import type { Entity } from '@atrium/catalog-model';
import type { QueryEntitiesResponse } from '@atrium/plugin-catalog/common';
import { apiFetch } from '@atrium/frontend-plugin-api';
import { useQuery } from '@tanstack/react-query';
import type {
  ActionInfo,
  DryRunRequest,
  DryRunResponse,
  EntityActionsResponse,
  ListTasksResponse,
  ParameterSchemaResponse,
  SerializedTask,
} from '../common/index';

const BASE = '/scaffolder/v2';

export type TemplateEntity = Entity & {
  spec: { type?: string; owner?: string; parameters?: unknown; steps?: unknown[]; entityFilter?: unknown; approval?: unknown };
};

/** Every Template in the catalog (templates are few; the list filters in the browser). */
export function useTemplates() {
  return useQuery({
    queryKey: ['scaffolder', 'templates'],
    queryFn: ({ signal }) =>
      apiFetch<QueryEntitiesResponse>('/catalog/entities/by-query', { json: { query: { kind: 'template' }, limit: 1000 }, signal }).then(
        (r) => r.items as TemplateEntity[],
      ),
  });
}

export function useParameterSchema(namespace: string, name: string) {
  return useQuery({
    queryKey: ['scaffolder', 'parameter-schema', namespace, name],
    queryFn: ({ signal }) =>
      apiFetch<ParameterSchemaResponse>(`${BASE}/templates/${encodeURIComponent(namespace)}/template/${encodeURIComponent(name)}/parameter-schema`, { signal }),
  });
}

export function useTask(taskId: string) {
  return useQuery({
    queryKey: ['scaffolder', 'task', taskId],
    queryFn: ({ signal }) => apiFetch<SerializedTask>(`${BASE}/tasks/${encodeURIComponent(taskId)}`, { signal }),
    refetchInterval: (q) => (q.state.data && ['completed', 'failed', 'cancelled'].includes(q.state.data.status) ? false : 2000),
  });
}

/** How many runs a page of the task list shows. */
export const TASK_PAGE_SIZE = 100;

/**
 * Runs, newest first: the caller's (`owned`), everyone's (`all`), or those waiting for the
 * caller's approval (`waiting`), one page of `TASK_PAGE_SIZE` from `offset`. The page shown stays
 * on screen while the next page of the same list loads.
 */
export function useTasks(scope: 'owned' | 'all' | 'waiting', status?: string, offset = 0) {
  return useQuery({
    queryKey: ['scaffolder', 'tasks', scope, status, offset],
    queryFn: ({ signal }) =>
      apiFetch<ListTasksResponse>(`${BASE}/tasks`, {
        query: {
          owned: scope === 'owned' || undefined,
          waitingForMe: scope === 'waiting' || undefined,
          status,
          limit: TASK_PAGE_SIZE,
          offset: offset || undefined,
          order: 'desc:created_at',
        },
        signal,
      }),
    // Only between pages of one list: another scope or status shows its own loading state.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === scope && previousQuery.queryKey[3] === status ? previous : undefined),
    refetchInterval: 5000,
  });
}

export function useActions() {
  return useQuery({ queryKey: ['scaffolder', 'actions'], queryFn: ({ signal }) => apiFetch<ActionInfo[]>(`${BASE}/actions`, { signal }) });
}

export function useEntityActions(entityRef: string) {
  return useQuery({
    queryKey: ['scaffolder', 'entity-actions', entityRef],
    queryFn: ({ signal }) => apiFetch<EntityActionsResponse>(`${BASE}/entity-actions`, { query: { entityRef }, signal }),
  });
}

export const createTask = (body: { templateRef: string; values: Record<string, unknown>; secrets?: Record<string, string> }) =>
  apiFetch<{ id: string }>(`${BASE}/tasks`, { json: body });
export const cancelTask = (id: string, compensate = false) =>
  apiFetch<{ status: string }>(`${BASE}/tasks/${id}/cancel`, { method: 'POST', json: compensate ? { compensate: true } : {} });
export const retryStep = (id: string, stepId: string) =>
  apiFetch<SerializedTask>(`${BASE}/tasks/${id}/steps/${encodeURIComponent(stepId)}/retry`, { method: 'POST', json: {} });
export const skipStep = (id: string, stepId: string) =>
  apiFetch<SerializedTask>(`${BASE}/tasks/${id}/steps/${encodeURIComponent(stepId)}/skip`, { method: 'POST', json: {} });
export const decideStep = (id: string, stepId: string, decision: 'approve' | 'reject', comment?: string) =>
  apiFetch<SerializedTask>(`${BASE}/tasks/${id}/steps/${encodeURIComponent(stepId)}/approval`, { json: { decision, ...(comment ? { comment } : {}) } });
export const retryTask = (id: string) => apiFetch<{ id: string }>(`${BASE}/tasks/${id}/retry`, { method: 'POST', json: {} });
export const decideApproval = (id: string, decision: 'approve' | 'reject', comment?: string) =>
  apiFetch<SerializedTask>(`${BASE}/tasks/${id}/approval`, { json: { decision, ...(comment ? { comment } : {}) } });
export const dryRun = (body: DryRunRequest) => apiFetch<DryRunResponse>(`${BASE}/dry-run`, { json: body });

export const eventStreamUrl = (taskId: string) => `/api${BASE}/tasks/${encodeURIComponent(taskId)}/eventstream`;

/** Entities for the pickers: by kinds (and an optional extra predicate), names matching a search. */
export function useEntityOptions(kinds: string[] | undefined, extra?: Record<string, unknown>) {
  return useQuery({
    queryKey: ['scaffolder', 'entity-options', kinds, extra],
    queryFn: ({ signal }) => {
      const parts: Array<Record<string, unknown>> = [];
      if (kinds?.length) parts.push({ kind: { $in: kinds.map((k) => k.toLowerCase()) } });
      if (extra) parts.push(extra);
      const query = parts.length === 0 ? undefined : parts.length === 1 ? parts[0] : { $all: parts };
      return apiFetch<QueryEntitiesResponse>('/catalog/entities/by-query', {
        json: {
          ...(query ? { query } : {}),
          limit: 500,
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title', 'metadata.tags', 'spec.owner'],
        },
        signal,
      }).then((r) => r.items);
    },
    staleTime: 30_000,
  });
}

export function useTagFacets() {
  return useQuery({
    queryKey: ['scaffolder', 'tag-facets'],
    queryFn: ({ signal }) =>
      apiFetch<{ facets: Record<string, Array<{ value: string; count: number }>> }>('/catalog/entity-facets', {
        query: { facet: 'metadata.tags' },
        signal,
      }).then((r) => (r.facets['metadata.tags'] ?? []).map((f) => f.value)),
    staleTime: 60_000,
  });
}
