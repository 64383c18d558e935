import { ApiError, isApiErrorBody } from './ApiError';

export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;

export interface ApiFetchInit extends Omit<RequestInit, 'body'> {
  /** Appended as a query string; null and undefined values are left out, arrays repeat the key. */
  query?: Record<string, QueryValue>;
  /** Sent as a JSON body with a JSON content type. */
  json?: unknown;
  body?: BodyInit | null;
}

/** Where the API lives, relative to the page's origin. */
export const API_BASE_PATH = '/api';

/**
 * Calls the Atrium API: `apiFetch('/system/info')` fetches `/api/system/info`.
 * Resolves with the parsed JSON (undefined for an empty body). Rejects with an `ApiError`
 * carrying the status and the server's message on a non-2xx response, with status 0 when
 * the server cannot be reached.
 */
export async function apiFetch<T>(path: string, init: ApiFetchInit = {}): Promise<T> {
  const { query, json, headers: initHeaders, ...rest } = init;
  const url = buildApiUrl(path, query);
  const method = (rest.method ?? (json === undefined ? 'GET' : 'POST')).toUpperCase();
  const headers = new Headers(initHeaders);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  let body = rest.body;
  if (json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }

  let response: Response;
  try {
    response = await fetch(url, { ...rest, method, headers, body });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      message: 'Could not reach the Atrium server. Check that it is running and try again.',
      status: 0,
      method,
      url,
      cause,
    });
  }

  const payload = await readBody(response, method, url);
  if (!response.ok) {
    throw new ApiError({
      message: isApiErrorBody(payload) ? payload.error.message : `${method} ${url} failed: ${response.status} ${response.statusText}`.trim(),
      errorName: isApiErrorBody(payload) ? payload.error.name : undefined,
      status: response.status,
      method,
      url,
    });
  }
  return payload as T;
}

export function buildApiUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!path.startsWith('/')) throw new Error(`API paths start with "/", got "${path}"`);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const queryString = search.toString();
  return `${API_BASE_PATH}${path}${queryString ? `?${queryString}` : ''}`;
}

async function readBody(response: Response, method: string, url: string): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  if (isJson) {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new ApiError({ message: `${method} ${url} returned malformed JSON`, status: response.status, method, url, cause });
    }
  }
  if (!response.ok) return text;
  throw new ApiError({
    message: `${method} ${url} returned ${response.headers.get('content-type') ?? 'no content type'} instead of JSON. Is the Atrium API reachable at ${API_BASE_PATH}?`,
    status: response.status,
    method,
    url,
  });
}
