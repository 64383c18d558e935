import { isApiError } from '@atrium/frontend-plugin-api';
import { QueryClient } from '@tanstack/react-query';

const MAX_RETRIES = 2;

/** Retry network and server errors a couple of times; a 4xx will not change by asking again. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.isClientError) return false;
  return failureCount < MAX_RETRIES;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetryQuery, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}
