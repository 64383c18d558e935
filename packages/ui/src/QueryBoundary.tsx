import type { ReactNode } from 'react';
import { ErrorState } from './ErrorState';
import { LoadingState } from './LoadingState';
import { StaleDataNotice } from './StaleDataNotice';

/** The parts of a TanStack Query result that QueryBoundary reads; `useQuery()` results fit. */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  dataUpdatedAt?: number;
  refetch: () => unknown;
}

export interface QueryBoundaryProps<T> {
  query: QueryLike<T>;
  /** Renders the loaded data. */
  children: (data: T) => ReactNode;
  /** When it returns true, `empty` is shown instead of `children`. */
  isEmpty?: (data: T) => boolean;
  /** Usually an <EmptyState> telling the user what to do next. */
  empty?: ReactNode;
  loadingLabel?: string;
  errorTitle?: string;
  compact?: boolean;
}

/**
 * Renders the loading, error, empty or loaded state of a query. When a background refresh
 * fails, the last data stays on screen under a notice instead of being replaced by the error.
 */
export function QueryBoundary<T>(props: QueryBoundaryProps<T>) {
  const { query } = props;
  const retry = () => void query.refetch();
  if (query.data === undefined) {
    if (query.error) {
      return <ErrorState error={query.error} title={props.errorTitle} onRetry={retry} />;
    }
    return <LoadingState label={props.loadingLabel} compact={props.compact} />;
  }
  const data = query.data;
  const content = props.isEmpty?.(data) && props.empty !== undefined ? props.empty : props.children(data);
  return (
    <>
      {query.error ? <StaleDataNotice error={query.error} updatedAt={query.dataUpdatedAt} onRetry={retry} /> : null}
      {content}
    </>
  );
}
