export type StatusTone = 'success' | 'info' | 'warning' | 'danger' | 'neutral';

const TONE_BY_STATUS: Record<string, StatusTone> = {
  ok: 'success',
  healthy: 'success',
  running: 'success',
  up: 'success',
  success: 'success',
  completed: 'success',
  starting: 'info',
  pending: 'info',
  processing: 'info',
  degraded: 'warning',
  warning: 'warning',
  stale: 'warning',
  failed: 'danger',
  error: 'danger',
  down: 'danger',
  stopped: 'neutral',
  unknown: 'neutral',
};

export const TONE_COLORS: Record<StatusTone, string> = {
  success: 'teal',
  info: 'blue',
  warning: 'yellow',
  danger: 'red',
  neutral: 'gray',
};

/** Maps a status word used across Atrium (ok, degraded, failed, …) to a visual tone. */
export function statusTone(status: string): StatusTone {
  return TONE_BY_STATUS[status.toLowerCase()] ?? 'neutral';
}
