import { QueryClient, QueryClientContext, useQueries } from '@tanstack/react-query';
import { useContext } from 'react';
import { createAuthorizeBatcher, type AuthorizeBatcher, type PermissionCheck, type PermissionDecisionView } from './authorizeBatcher';
import { useCurrentUser } from './currentUser';

/** What a component needs to show or hide an action. */
export interface PermissionResult {
  /** True only once the server said allow (a conditional allow without a target counts as allowed). */
  allowed: boolean;
  /** Still asking (or still finding out who the caller is). */
  loading: boolean;
  decision?: PermissionDecisionView;
  /** The check failed (network, server error); `allowed` is false. */
  error?: unknown;
}

/** Prefix of every permission query key; invalidate it after something that changes rights (e.g. group membership). */
export const PERMISSIONS_QUERY_KEY = ['atrium', 'permissions'] as const;

/** One batcher per QueryClient, so an app (or a test) with its own client has its own batches. */
const batchers = new WeakMap<QueryClient, AuthorizeBatcher>();
const idleClient = new QueryClient();

function batcherFor(client: QueryClient): AuthorizeBatcher {
  let batcher = batchers.get(client);
  if (!batcher) {
    batcher = createAuthorizeBatcher();
    batchers.set(client, batcher);
  }
  return batcher;
}

type CheckInput = PermissionCheck | string | undefined | null;

function normalise(check: CheckInput): PermissionCheck | undefined {
  if (!check) return undefined;
  return typeof check === 'string' ? { permission: check } : check;
}

/**
 * May the caller do these? Every check made by any component during one render goes to the
 * server in one `POST /api/permissions/authorize`; answers are cached per caller (a minute) and
 * shared by every component asking the same thing. An `undefined` check is skipped (allowed).
 */
export function usePermissions(checks: readonly CheckInput[]): PermissionResult[] {
  const client = useContext(QueryClientContext);
  const user = useCurrentUser();
  const caller = user.data ? [user.data.userEntityRef, user.data.via ?? '', user.data.token?.id ?? ''].join('|') : undefined;
  const normalised = checks.map(normalise);
  const results = useQueries(
    {
      queries: normalised.map((check) => ({
        queryKey: [...PERMISSIONS_QUERY_KEY, caller ?? '', check?.permission ?? '', check?.resourceRef ?? ''],
        queryFn: () => (check ? batcherFor(client ?? idleClient).load(check) : Promise.reject(new Error('no check'))),
        enabled: Boolean(client && caller && check),
        staleTime: 60_000,
      })),
    },
    client ?? idleClient,
  );
  return normalised.map((check, i): PermissionResult => {
    if (!check) return { allowed: true, loading: false };
    const result = results[i];
    if (user.error) return { allowed: false, loading: false, error: user.error };
    if (!caller) return { allowed: false, loading: Boolean(client) };
    if (result?.error) return { allowed: false, loading: false, error: result.error };
    if (!result?.data) return { allowed: false, loading: true };
    return { allowed: result.data.decision === 'allow', loading: false, decision: result.data };
  });
}

/** `usePermissions` for one check: `usePermission({ permission: 'catalog.entity.delete', resourceRef })`. */
export function usePermission(check: CheckInput): PermissionResult {
  return usePermissions([check])[0] ?? { allowed: false, loading: true };
}

/** A short text for a tooltip on a disabled action: why the caller may not. */
export function permissionDeniedText(result: PermissionResult, action = 'do this'): string | undefined {
  if (result.allowed || result.loading) return undefined;
  if (result?.error) return `Could not check whether you may ${action}`;
  const reason = result.decision?.reason;
  return reason ? `You may not ${action}: ${reason}` : `You may not ${action}`;
}
