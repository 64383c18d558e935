import { apiFetch, CURRENT_USER_QUERY_KEY, useCurrentUser } from '@atrium/frontend-plugin-api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { NotificationList, NotificationPreferences } from '../common';

export interface NotificationFilters {
  unread?: boolean;
  source?: string;
  entityRef?: string;
}

const KEY = ['notifications'] as const;
const COUNT_KEY = [...KEY, 'unread-count'] as const;
const PREFERENCES_KEY = [...KEY, 'preferences'] as const;
/** The live stream (useNotificationsLive) keeps the count current; this slow poll is the fallback. */
const FALLBACK_POLL_MS = 5 * 60_000;

/** The caller's notifications, newest first. */
export function useNotificationList(filters: NotificationFilters) {
  return useQuery({
    queryKey: [...KEY, 'list', filters],
    queryFn: ({ signal }) =>
      apiFetch<NotificationList>('/notifications', {
        signal,
        query: { unread: filters.unread || undefined, source: filters.source || undefined, entityRef: filters.entityRef || undefined, limit: 200 },
      }),
    refetchInterval: FALLBACK_POLL_MS,
  });
}

/** The bell: how many of the caller's notifications are unread. */
export function useUnreadNotificationsCount() {
  return useQuery({
    queryKey: COUNT_KEY,
    queryFn: ({ signal }) => apiFetch<{ count: number }>('/notifications/unread-count', { signal }).then((r) => r.count),
    refetchInterval: FALLBACK_POLL_MS,
  });
}

/**
 * Follows GET /api/notifications/stream (server-sent events) while someone is signed in (or the
 * guest): every `count` event sets the bell's number and refreshes open lists. The stream is
 * reopened when the user changes; `end` (signed out, server stopping) closes it, and a stream
 * the server refuses (401) makes the app check who is signed in, which leads to sign-in.
 */
export function useNotificationsLive(): void {
  const client = useQueryClient();
  const user = useCurrentUser().data?.userEntityRef;
  useEffect(() => {
    if (!user || typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/notifications/stream');
    let first = true;
    source.addEventListener('count', (e) => {
      const { count } = JSON.parse((e as MessageEvent<string>).data) as { count: number };
      const previous = client.getQueryData<number>(COUNT_KEY);
      client.setQueryData(COUNT_KEY, count);
      // The first event only confirms what the page already has; later ones are changes.
      if (!first || (previous !== undefined && previous !== count)) void client.invalidateQueries({ queryKey: [...KEY, 'list'] });
      first = false;
    });
    source.addEventListener('end', () => {
      source.close();
      void client.invalidateQueries({ queryKey: CURRENT_USER_QUERY_KEY });
    });
    source.onerror = () => {
      // EventSource retries by itself after a network error; CLOSED means the server answered
      // with an error status (401 after sign-out): see who is signed in now.
      if (source.readyState === EventSource.CLOSED) void client.invalidateQueries({ queryKey: CURRENT_USER_QUERY_KEY });
    };
    return () => source.close();
  }, [client, user]);
}

/** Mark one or all read; the list and the bell refresh afterwards. */
export function useNotificationActions() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: KEY });
  return {
    markRead: useMutation({
      mutationFn: (id: string) => apiFetch<unknown>(`/notifications/${encodeURIComponent(id)}/read`, { method: 'POST', json: {} }),
      onSuccess,
    }),
    markAllRead: useMutation({ mutationFn: () => apiFetch<{ updated: number }>('/notifications/read-all', { method: 'POST', json: {} }), onSuccess }),
  };
}

/** The caller's preferences (the defaults until saved). */
export function useNotificationPreferences() {
  return useQuery({ queryKey: PREFERENCES_KEY, queryFn: ({ signal }) => apiFetch<NotificationPreferences>('/notifications/preferences', { signal }) });
}

/** Saves the caller's preferences; the list and the bell refresh (in-app choices change them). */
export function useSaveNotificationPreferences() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (prefs: NotificationPreferences) => apiFetch<NotificationPreferences>('/notifications/preferences', { method: 'PUT', json: prefs }),
    onSuccess: (saved) => {
      client.setQueryData(PREFERENCES_KEY, saved);
      void client.invalidateQueries({ queryKey: [...KEY, 'list'] });
      void client.invalidateQueries({ queryKey: COUNT_KEY });
    },
  });
}
