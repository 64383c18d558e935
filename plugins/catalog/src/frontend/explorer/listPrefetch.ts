import type { QueryEntitiesResponse } from '@atrium/plugin-catalog/common';
import { queryEntities, type QueryEntitiesRequest } from '../api/catalogApi';
import { firstPageRequestFor } from './explorerRequests';

/**
 * Render-as-you-fetch for /catalog: the route loader asks for the first page while the page's
 * code is still downloading, and the page takes that answer instead of asking again. An answer
 * is used once, and only shortly after it was asked for, so it is never stale.
 */
const MAX_AGE_MS = 5_000;
const pending = new Map<string, { promise: Promise<QueryEntitiesResponse>; at: number }>();

export function prefetchExplorerList(search: string): void {
  const request = firstPageRequestFor(search);
  const promise = queryEntities(request);
  promise.catch(() => {}); // the page asks again if this failed
  pending.set(JSON.stringify(request), { promise, at: Date.now() });
}

export function takePrefetchedList(request: QueryEntitiesRequest): Promise<QueryEntitiesResponse> | undefined {
  const key = JSON.stringify(request);
  const entry = pending.get(key);
  pending.delete(key);
  return entry && Date.now() - entry.at < MAX_AGE_MS ? entry.promise : undefined;
}
