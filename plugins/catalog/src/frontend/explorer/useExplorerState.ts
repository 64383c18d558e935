import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { parseExplorerState, serializeExplorerState, type ExplorerState } from './filterState';

/**
 * The explorer state lives in the URL. A filter change is a new history entry (so Back undoes
 * it); typing in the search box replaces the current one (so Back does not replay keystrokes).
 */
export function useExplorerState(): [ExplorerState, (next: ExplorerState, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // The query string is the identity of the state: equal strings give the same object.
  const state = useMemo(() => parseExplorerState(new URLSearchParams(key)), [key]);
  const update = useCallback(
    (next: ExplorerState, options: { replace?: boolean } = {}) => {
      const serialized = serializeExplorerState(next);
      if (serialized.toString() === key) return;
      setParams(serialized, { replace: options.replace ?? false, preventScrollReset: true });
    },
    [key, setParams],
  );
  return [state, update];
}
