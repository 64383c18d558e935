import { apiFetch } from '@atrium/frontend-plugin-api';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  EntityResultsResponse,
  EntityScorecardResult,
  HistoryPoint,
  InitiativeDefinition,
  InitiativeProgress,
  ListScorecardsResponse,
  ScorecardDefinition,
  ScorecardRollup,
  DefinitionError,
  Exemption,
  RuleResultsResponse,
} from '../common';
import type { NotificationList } from '@atrium/plugin-notifications/common';

export interface FixItem {
  scorecardId: string;
  ruleId: string;
  title: string;
  level: string;
  weight: number;
  failureMessage?: string;
  entityRefs: string[];
  pointsAtStake: number;
}
export interface TrendRow {
  day: string;
  owner: string | null;
  level: string | null;
  entities: number;
  points: number;
  maxPoints: number;
}
export type InitiativeSummary = InitiativeDefinition & { total: number; passing: number; daysLeft: number };

export const useScorecards = () =>
  useQuery({ queryKey: ['scorecards', 'list'], queryFn: ({ signal }) => apiFetch<ListScorecardsResponse>('/scorecards/scorecards', { signal }) });

export const useOwnerRollups = (id: string) =>
  useQuery({
    queryKey: ['scorecards', 'rollups', id],
    queryFn: ({ signal }) =>
      apiFetch<{ items: ScorecardRollup[] }>(`/scorecards/scorecards/${encodeURIComponent(id)}/rollups`, { signal, query: { by: 'owner' } }),
  });

export const useTrend = (id: string, owner?: string) =>
  useQuery({
    queryKey: ['scorecards', 'trend', id, owner],
    queryFn: ({ signal }) =>
      apiFetch<{ items: TrendRow[]; restricted?: boolean }>(`/scorecards/scorecards/${encodeURIComponent(id)}/trend`, { signal, query: { days: 90, owner } }),
  });

export const useEntityResults = (kind: string, namespace: string, name: string) =>
  useQuery({
    queryKey: ['scorecards', 'entity', kind, namespace, name],
    queryFn: ({ signal }) =>
      apiFetch<EntityResultsResponse>(`/scorecards/entities/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, {
        signal,
      }),
  });

export const useEntityHistory = (entityRef: string) =>
  useQuery({
    queryKey: ['scorecards', 'history', entityRef],
    queryFn: ({ signal }) => apiFetch<{ items: HistoryPoint[] }>('/scorecards/history', { signal, query: { entityRef, days: 365 } }),
  });

export const useFixNext = (owner: string) =>
  useQuery({
    queryKey: ['scorecards', 'fix-next', owner],
    queryFn: ({ signal }) =>
      apiFetch<{ owner: string; results: EntityScorecardResult[]; items: FixItem[] }>(`/scorecards/owners/${encodeURIComponent(owner)}/fix-next`, { signal }),
  });

export const useInitiatives = () =>
  useQuery({
    queryKey: ['scorecards', 'initiatives'],
    queryFn: ({ signal }) => apiFetch<{ items: InitiativeSummary[]; errors: DefinitionError[] }>('/scorecards/initiatives', { signal }),
  });

export const useInitiative = (id: string) =>
  useQuery({
    queryKey: ['scorecards', 'initiative', id],
    queryFn: ({ signal }) => apiFetch<InitiativeProgress & { scorecard: ScorecardDefinition }>(`/scorecards/initiatives/${encodeURIComponent(id)}`, { signal }),
  });

export const useRuleResults = (scorecardId: string, ruleId: string, status: string) =>
  useQuery({
    queryKey: ['scorecards', 'rule', scorecardId, ruleId, status],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      apiFetch<RuleResultsResponse>(`/scorecards/scorecards/${encodeURIComponent(scorecardId)}/rules/${encodeURIComponent(ruleId)}`, {
        signal,
        query: { status },
      }),
  });

export interface ExemptionQuery {
  entityRef?: string;
  scorecard?: string;
  status?: Exemption['status'];
}

export const useExemptions = (q: ExemptionQuery = {}) =>
  useQuery({
    queryKey: ['scorecards', 'exemptions', q.entityRef, q.scorecard, q.status ?? 'granted'],
    queryFn: ({ signal }) =>
      apiFetch<{ items: Exemption[] }>('/scorecards/exemptions', { signal, query: { entityRef: q.entityRef, scorecard: q.scorecard, status: q.status } }),
  });

export interface ExemptionRequest {
  entityRef: string;
  scorecardId: string;
  ruleId: string;
  reason: string;
  expiresAt: string;
}

/** Request, grant or remove exemptions; every scorecards query is refreshed afterwards. */
export function useExemptionActions() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: ['scorecards'] });
  return {
    request: useMutation({ mutationFn: (body: ExemptionRequest) => apiFetch<Exemption>('/scorecards/exemptions/requests', { json: body }), onSuccess }),
    grant: useMutation({
      mutationFn: (id: string) => apiFetch<Exemption>(`/scorecards/exemptions/${encodeURIComponent(id)}/grant`, { method: 'POST', json: {} }),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (id: string) => apiFetch<unknown>(`/scorecards/exemptions/${encodeURIComponent(id)}`, { method: 'DELETE' }), onSuccess }),
  };
}

/** A team's scorecards notifications, from the notifications plugin (one store for every plugin). */
export const useNotifications = (recipient: string) =>
  useQuery({
    queryKey: ['notifications', 'scorecards', recipient],
    queryFn: ({ signal }) => apiFetch<NotificationList>('/notifications', { signal, query: { recipient, source: 'scorecards' } }),
  });
