const UNITS: ReadonlyArray<readonly [suffix: string, seconds: number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/**
 * A compact duration: `45s`, `12m 5s`, `3h 4m`, `2d 1h`. Shows the largest unit and the
 * `maxParts - 1` units after it, skipping zeros.
 */
export function formatDuration(totalSeconds: number, maxParts = 2): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const first = UNITS.findIndex(([, size]) => rest >= size);
  if (first === -1) return '0s';
  const parts: string[] = [];
  for (const [suffix, size] of UNITS.slice(first, first + maxParts)) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${suffix}`);
  }
  return parts.join(' ');
}

/** A short elapsed time for measurements: `850 ms`, `1.2 s`, `3m 20s`. */
export function formatMilliseconds(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return formatDuration(ms / 1_000);
}

/** `5m ago`, `in 30s`, or `just now` within a second either way. */
export function formatRelativeTime(date: Date, now: Date): string {
  const seconds = (date.getTime() - now.getTime()) / 1_000;
  if (Math.abs(seconds) < 1) return 'just now';
  const amount = formatDuration(Math.abs(seconds), 1);
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

/** A full local date and time, e.g. for tooltips. */
export function formatDateTime(date: Date): string {
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
