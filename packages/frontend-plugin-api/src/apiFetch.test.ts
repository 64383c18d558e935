import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './ApiError';
import { apiFetch, buildApiUrl } from './apiFetch';

function respondWith(body: string | null, init: ResponseInit & { contentType?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.contentType !== undefined) headers.set('content-type', init.contentType);
  const fetchMock = vi.fn(async () => new Response(body, { ...init, headers }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('apiFetch', () => {
  it('fetches under /api and parses JSON', async () => {
    const fetchMock = respondWith('{"ok":true}', { contentType: 'application/json; charset=utf-8' });
    await expect(apiFetch('/system/info')).resolves.toEqual({ ok: true });
    expect(fetchMock).toHaveBeenCalledWith('/api/system/info', expect.objectContaining({ method: 'GET' }));
  });

  it('sends a JSON body as POST', async () => {
    const fetchMock = respondWith(null, { status: 204 });
    await expect(apiFetch('/catalog/locations', { json: { target: 'x' } })).resolves.toBeUndefined();
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"target":"x"}');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
  });

  it("throws an ApiError with the server's message and status", async () => {
    respondWith(
      JSON.stringify({
        error: { name: 'NotFoundError', message: 'No entity named component:default/nope' },
        request: { method: 'GET', url: '/api/catalog/entities/by-name/component/default/nope' },
        response: { statusCode: 404 },
      }),
      { status: 404, contentType: 'application/json' },
    );
    const error = await apiFetch('/catalog/entities/by-name/component/default/nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      errorName: 'NotFoundError',
      message: 'No entity named component:default/nope',
      isClientError: true,
    });
  });

  it('describes a non-JSON error response by its status', async () => {
    respondWith('Bad Gateway', { status: 502, statusText: 'Bad Gateway', contentType: 'text/plain' });
    await expect(apiFetch('/x')).rejects.toMatchObject({ status: 502, message: 'GET /api/x failed: 502 Bad Gateway' });
  });

  it('rejects HTML where JSON was expected, e.g. when no backend answers /api', async () => {
    respondWith('<!doctype html>', { status: 200, contentType: 'text/html' });
    await expect(apiFetch('/x')).rejects.toThrow(/instead of JSON/);
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(apiFetch('/x')).rejects.toMatchObject({ status: 0, isClientError: false });
  });
});

describe('buildApiUrl', () => {
  it('adds query parameters, repeating arrays and skipping empty values', () => {
    expect(buildApiUrl('/catalog/entities', { filter: ['kind=API', 'kind=Component'], limit: 20, cursor: undefined })).toBe(
      '/api/catalog/entities?filter=kind%3DAPI&filter=kind%3DComponent&limit=20',
    );
  });

  it('insists on a leading slash', () => {
    expect(() => buildApiUrl('system/info')).toThrow(/start with "\/"/);
  });
});
