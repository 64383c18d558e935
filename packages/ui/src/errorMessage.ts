import { isApiError } from '@atrium/frontend-plugin-api';

/** The message to show a user for any thrown value; for API errors, the server's own message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'An unexpected error occurred.';
}

/** A short line of context for an error, e.g. `GET /api/system/info · 503`. */
export function errorDetail(error: unknown): string | undefined {
  if (!isApiError(error)) return undefined;
  const status = error.status === 0 ? 'no response' : String(error.status);
  return `${error.method} ${error.url} · ${status}`;
}
