import { apiFetch } from '@atrium/frontend-plugin-api';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEventsPage } from '../common';
import type { AuditQueryParams } from './auditFilters';

export const AUDIT_PAGE_SIZE = 50;

/** `GET /api/system/audit/events` with the filters, a page at a time (newest first). */
export function useAuditEvents(params: AuditQueryParams) {
  return useInfiniteQuery({
    queryKey: ['system', 'audit', params],
    queryFn: ({ pageParam, signal }) =>
      apiFetch<AuditEventsPage>('/system/audit/events', { signal, query: { ...params, limit: AUDIT_PAGE_SIZE, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}
