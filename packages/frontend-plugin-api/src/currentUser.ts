import { QueryClient, QueryClientContext, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useContext } from 'react';
import { apiFetch } from './apiFetch';

/** The caller as `GET /api/auth/me` describes it. */
export interface CurrentUser {
  /** `user` for a person (session or personal token), `service` for a group's token, `guest` otherwise. */
  type: 'user' | 'service' | 'guest';
  /** The User entity ref (a group ref for a service token; `user:default/guest` for the guest). */
  userEntityRef: string;
  /** The user and every group it belongs to, transitively. */
  ownershipEntityRefs: string[];
  /** A short name (the ref's name); the catalog User's profile has the full one. */
  displayName: string;
  /** How the request was identified. */
  via?: 'session' | 'token' | 'guest';
  session?: { id: string; expiresAt: string };
  token?: { id: string; name: string; expiresAt: string };
  scopes?: string[];
}

/** The query key of the current user; invalidate it after signing in or out. */
export const CURRENT_USER_QUERY_KEY = ['atrium', 'auth', 'me'] as const;

/** Used (never fetching) outside a QueryClientProvider, e.g. a component's unit test: no user. */
const idleClient = new QueryClient();

/**
 * Who is using the app: the caller's ref and ownership refs (for "mine" filters). Cached for a
 * minute; group changes in the catalog show at the next fetch. A 401 (guest sign-in off and no
 * session) is an error here and sends the browser to sign-in through the app's query client.
 */
export function useCurrentUser(): UseQueryResult<CurrentUser> {
  const client = useContext(QueryClientContext);
  return useQuery(
    {
      queryKey: CURRENT_USER_QUERY_KEY,
      queryFn: ({ signal }) => apiFetch<CurrentUser>('/auth/me', { signal }),
      staleTime: 60_000,
      enabled: Boolean(client),
    },
    client ?? idleClient,
  );
}

/** Whether the caller is a signed-in person (not the guest, not a service token). */
export function isSignedIn(user: CurrentUser | undefined): user is CurrentUser & { type: 'user' } {
  return user?.type === 'user' && user.userEntityRef !== 'user:default/guest';
}
