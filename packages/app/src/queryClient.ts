import { isApiError } from '@atrium/frontend-plugin-api';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

const MAX_RETRIES = 2;

/** Retry network and server errors a couple of times; a 4xx will not change by asking again. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.isClientError) return false;
  return failureCount < MAX_RETRIES;
}

export interface QueryClientOptions {
  /** Called with every failed query's and mutation's error; the app sends a 401 to sign-in. */
  onError?: (error: unknown) => void;
}

export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  const onError = options.onError;
  return new QueryClient({
    ...(onError ? { queryCache: new QueryCache({ onError }), mutationCache: new MutationCache({ onError }) } : {}),
    defaultOptions: {
      queries: { retry: shouldRetryQuery, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}
