import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { formatSearchUrl, parseSearchUrl, updateSearchState, type SearchUrlState } from './searchUrlState';

/** The search page's state from the URL, and a setter that writes a change back to it. */
export function useSearchUrlState(): [SearchUrlState, (change: Partial<SearchUrlState>, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseSearchUrl(params), [params]);
  const update = useCallback(
    (change: Partial<SearchUrlState>, options: { replace?: boolean } = {}) => {
      setParams((current) => formatSearchUrl(updateSearchState(parseSearchUrl(current), change)), { replace: options.replace ?? false });
    },
    [setParams],
  );
  return [state, update];
}
