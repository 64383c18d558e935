import { vi } from 'vitest';

/** One canned answer: a status and a JSON body (undefined for an empty body). */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
}

export type FakeRoute = (request: { method: string; url: string; body: unknown }) => FakeAnswer | undefined;

export interface FakeFetch {
  /** Every request made, in order: `GET /api/auth/me`. */
  calls: Array<{ method: string; url: string; body: unknown }>;
}

/**
 * Replaces the browser's `fetch` (the network, not our code) with canned JSON answers keyed
 * `METHOD /path` (query string included when the key has one). Unknown requests answer 404.
 */
export function installFakeFetch(routes: Record<string, FakeAnswer | FakeRoute>): FakeFetch {
  const fake: FakeFetch = { calls: [] };
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    fake.calls.push({ method, url, body });
    const route = routes[`${method} ${url}`] ?? routes[`${method} ${url.split('?')[0]}`];
    const answer = typeof route === 'function' ? route({ method, url, body }) : route;
    const status = answer?.status ?? (answer ? 200 : 404);
    const payload = answer ? answer.body : { error: { name: 'NotFoundError', message: `no fake for ${method} ${url}` } };
    return new Response(payload === undefined ? null : JSON.stringify(payload), {
      status,
      headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    });
  });
  return fake;
}
