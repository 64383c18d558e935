import { formatDateTime, formatRelativeTime } from './time';
import { useNow } from './useNow';

/** A `<time>` that reads "5m ago" / "in 30s" and keeps itself current; the exact time is in its tooltip. */
export function RelativeTime(props: { value: string | Date; tickMs?: number }) {
  const now = useNow(props.tickMs);
  const date = typeof props.value === 'string' ? new Date(props.value) : props.value;
  if (Number.isNaN(date.getTime())) return <span>{String(props.value)}</span>;
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)}>
      {formatRelativeTime(date, now)}
    </time>
  );
}
