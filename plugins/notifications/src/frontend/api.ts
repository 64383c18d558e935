import { apiFetch } from '@atrium/frontend-plugin-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationList } from '../common';

export interface NotificationFilters {
  unread?: boolean;
  source?: string;
  entityRef?: string;
}

const KEY = ['notifications'] as const;
/** How often the list and the bell look for new ones (the live SSE feed is a later step). */
const POLL_MS = 30_000;

/** The caller's notifications, newest first. */
export function useNotificationList(filters: NotificationFilters) {
  return useQuery({
    queryKey: [...KEY, 'list', filters],
    queryFn: ({ signal }) =>
      apiFetch<NotificationList>('/notifications', {
        signal,
        query: { unread: filters.unread || undefined, source: filters.source || undefined, entityRef: filters.entityRef || undefined, limit: 200 },
      }),
    refetchInterval: POLL_MS,
  });
}

/** The bell: how many of the caller's notifications are unread. */
export function useUnreadNotificationsCount() {
  return useQuery({
    queryKey: [...KEY, 'unread-count'],
    queryFn: ({ signal }) => apiFetch<{ count: number }>('/notifications/unread-count', { signal }).then((r) => r.count),
    refetchInterval: POLL_MS,
  });
}

/** Mark one or all read; the list and the bell refresh afterwards. */
export function useNotificationActions() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: KEY });
  return {
    markRead: useMutation({ mutationFn: (id: string) => apiFetch<unknown>(`/notifications/${encodeURIComponent(id)}/read`, { method: 'POST', json: {} }), onSuccess }),
    markAllRead: useMutation({ mutationFn: () => apiFetch<{ updated: number }>('/notifications/read-all', { method: 'POST', json: {} }), onSuccess }),
  };
}
