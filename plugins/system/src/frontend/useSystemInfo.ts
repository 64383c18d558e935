import { apiFetch } from '@atrium/frontend-plugin-api';
import { useQuery } from '@tanstack/react-query';
import type { SystemInfo } from '../common';

export const SYSTEM_INFO_REFRESH_MS = 10_000;

/** `GET /api/system/info`, refreshed every 10 seconds while a page shows it. */
export function useSystemInfo() {
  return useQuery({
    queryKey: ['system', 'info'],
    queryFn: ({ signal }) => apiFetch<SystemInfo>('/system/info', { signal }),
    refetchInterval: SYSTEM_INFO_REFRESH_MS,
  });
}
