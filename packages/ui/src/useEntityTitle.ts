import { QueryClient, QueryClientContext, useQueries, useQuery } from '@tanstack/react-query';
import { useContext, useMemo } from 'react';
import { catalogTitleLoader } from './entityTitles';

const TITLE_STALE_MS = 60_000;
/** Used (never fetching) when a component renders outside a QueryClientProvider, e.g. in a unit test. */
const idleClient = new QueryClient();
const titleKey = (canonicalRef: string) => ['atrium', 'entity-title', canonicalRef] as const;

const titleQuery = (canonicalRef: string) => ({
  queryKey: titleKey(canonicalRef),
  queryFn: () => catalogTitleLoader.load(canonicalRef),
  staleTime: TITLE_STALE_MS,
  retry: false,
});

/**
 * The title of the entity a canonical ref names: a string once known, null when the catalog
 * has no such entity, undefined while loading, on error, or outside a QueryClientProvider.
 */
export function useEntityTitle(canonicalRef: string | undefined): string | null | undefined {
  const client = useContext(QueryClientContext);
  const query = useQuery({ ...titleQuery(canonicalRef ?? ''), enabled: Boolean(client && canonicalRef) }, client ?? idleClient);
  return canonicalRef ? query.data : undefined;
}

/**
 * Titles of many refs at once (e.g. every owner on a page of rows): one query per distinct
 * ref, shared with `useEntityTitle`, asked for in one request. Missing entries are unknown yet.
 */
export function useEntityTitles(canonicalRefs: readonly string[]): ReadonlyMap<string, string | null> {
  const client = useContext(QueryClientContext);
  const distinct = useMemo(() => [...new Set(canonicalRefs)].sort(), [canonicalRefs]);
  return useQueries(
    {
      queries: client ? distinct.map((ref) => titleQuery(ref)) : [],
      combine: (results) => {
        const titles = new Map<string, string | null>();
        results.forEach((result, index) => {
          if (result.data !== undefined) titles.set(distinct[index]!, result.data);
        });
        return titles;
      },
    },
    client ?? idleClient,
  );
}
