import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { catalogKeys } from '../api/queries';

/** Changes arriving within this window refresh the open page once. */
const DEBOUNCE_MS = 300;

/**
 * Keeps open catalog pages current: listens to GET /api/catalog/events (server-sent events) and
 * invalidates what the UI has read from the catalog when entities or locations change. Polling in
 * the queries stays as a slow fallback for when the stream is unavailable.
 */
export function useCatalogLiveUpdates(): void {
  const client = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return undefined;
    const source = new EventSource('/api/catalog/events');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void client.invalidateQueries({ queryKey: catalogKeys.all }), DEBOUNCE_MS);
    };
    source.addEventListener('entity', refresh);
    source.addEventListener('location', refresh);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, [client]);
}
