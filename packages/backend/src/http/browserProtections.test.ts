import http from 'node:http';
import { definePlugin } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Records the bodyless "cancel" it receives, and stores text in Postgres like real plugins do. */
function probePlugin(cancels: string[]) {
  return definePlugin({
    id: 'probe',
    setup({ router, db }) {
      router.post('/tasks/:id/cancel', (req, res) => {
        cancels.push(req.params.id);
        res.json({ status: 'cancelled' });
      });
      router.delete('/tasks/:id', (_req, res) => {
        res.status(204).end();
      });
      router.get('/items/:name', async (req, res) => {
        const { rows } = await db.raw('select ?::text as name', [req.params.name]);
        res.json(rows[0]);
      });
      router.get('/search', async (req, res) => {
        const { rows } = await db.raw('select ?::text as q', [String(req.query['q'])]);
        res.json(rows[0]);
      });
      router.post('/notes', async (req, res) => {
        const { rows } = await db.raw('select ?::jsonb as note', [JSON.stringify(req.body)]);
        res.status(201).json(rows[0]);
      });
    },
  });
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with full control of Host, Origin and Content-Type (fetch forbids setting Host). */
function request(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname + url.search,
        headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(testDatabaseKinds())('browser protections on %s', (database) => {
  const cancels: string[] = [];
  let t: TestBackend;
  let port: string;
  beforeAll(async () => {
    t = await startTestBackend({
      database,
      plugins: [probePlugin(cancels)],
      config: { backend: { allowedOrigins: ['https://portal.example.com'] } },
    });
    port = new URL(t.url).port;
  });
  afterAll(() => t?.stop());

  describe('response headers', () => {
    const parse = (csp: string) =>
      Object.fromEntries(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name, values]),
      );
    it('send a script-strict CSP that forbids framing, and nosniff, on the app', async () => {
      for (const path of ['/', '/catalog/some/page']) {
        const res = await request(t.url, 'GET', path);
        const csp = String(res.headers['content-security-policy']);
        const directives = parse(csp);
        expect(directives['script-src']).toEqual(["'self'"]);
        expect(directives['script-src-attr']).toEqual(["'none'"]);
        expect(directives['default-src']).toEqual(["'self'"]);
        expect(directives['object-src']).toEqual(["'none'"]);
        expect(directives['frame-ancestors']).toEqual(["'none'"]);
        expect(csp).not.toContain('unsafe-eval');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('send API answers a policy that lets a browser render and frame nothing, with nosniff', async () => {
      for (const path of ['/api/probe/search?q=x', '/api/no-such-plugin/x']) {
        const res = await request(t.url, 'GET', path);
        const directives = parse(String(res.headers['content-security-policy']));
        expect(directives['default-src']).toEqual(["'none'"]);
        expect(directives['frame-ancestors']).toEqual(["'none'"]);
        expect(directives['script-src']).toBeUndefined();
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('mutations need a JSON content type', () => {
    it('refuses a bodyless cross-site style POST (no content type, form and text types) with 415, before the plugin runs', async () => {
      const noType = await request(t.url, 'POST', '/api/probe/tasks/t1/cancel');
      expect(noType.status).toBe(415);
      expect(JSON.parse(noType.body)).toMatchObject({
        error: { name: 'UnsupportedMediaTypeError', message: expect.stringContaining('Content-Type: application/json') },
        response: { statusCode: 415 },
      });
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
        expect((await request(t.url, 'POST', '/api/probe/tasks/t2/cancel', { 'content-type': type }, '')).status).toBe(415);
      }
      expect((await request(t.url, 'PUT', '/api/probe/tasks/t3/cancel')).status).toBe(415);
      expect(cancels).toEqual([]);
    });

    it('accepts the same POST with Content-Type: application/json, with or without a body', async () => {
      const ok = await request(t.url, 'POST', '/api/probe/tasks/t4/cancel', { 'content-type': 'application/json' });
      expect(ok.status).toBe(200);
      const withBody = await request(t.url, 'POST', '/api/probe/tasks/t5/cancel', { 'content-type': 'application/json; charset=utf-8' }, '{}');
      expect(withBody.status).toBe(200);
      expect(cancels).toEqual(['t4', 't5']);
    });

    it('lets a bodyless DELETE through (it cannot be sent cross-site without a preflight)', async () => {
      expect((await request(t.url, 'DELETE', '/api/probe/tasks/t6')).status).toBe(204);
      expect((await request(t.url, 'DELETE', '/api/probe/tasks/t6', { 'content-type': 'text/plain' }, 'x')).status).toBe(415);
    });
  });

  describe('Origin', () => {
    const json = { 'content-type': 'application/json' };
    it('refuses an API call from another web origin with 403', async () => {
      const res = await request(t.url, 'POST', '/api/probe/tasks/t7/cancel', { ...json, origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error.message).toContain('"https://evil.example" are not allowed');
      expect((await request(t.url, 'GET', '/api/probe/search?q=1', { origin: 'null' })).status).toBe(403);
      expect(cancels).not.toContain('t7');
    });

    it('accepts the server’s own origin (the actually bound port) and configured extra origins', async () => {
      expect((await request(t.url, 'POST', '/api/probe/tasks/t8/cancel', { ...json, origin: `http://127.0.0.1:${port}` })).status).toBe(200);
      expect((await request(t.url, 'POST', '/api/probe/tasks/t9/cancel', { ...json, origin: 'https://portal.example.com' })).status).toBe(200);
      expect((await request(t.url, 'POST', '/api/probe/tasks/t10/cancel', { ...json, origin: `http://127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
    });
  });

  describe('Host', () => {
    it('refuses a Host that is not one of the server’s names (DNS rebinding) on the app and the API', async () => {
      for (const path of ['/', '/api/probe/search?q=1']) {
        const res = await request(t.url, 'GET', path, { host: `rebind.evil.example:${port}` });
        expect(res.status).toBe(403);
        expect(JSON.parse(res.body).error.message).toContain('does not answer to the host name "rebind.evil.example');
      }
    });

    it('accepts every loopback name on the bound port, the configured names, and lets probes in under any name', async () => {
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'portal.example.com']) {
        expect((await request(t.url, 'GET', '/api/probe/search?q=1', { host })).status, host).toBe(200);
      }
      expect((await request(t.url, 'GET', '/api/probe/search?q=1', { host: `localhost:${Number(port) + 1}` })).status).toBe(403);
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        expect((await request(t.url, 'GET', path, { host: '10.1.2.3:7007' })).status, path).toBe(200);
      }
    });
  });

  describe('NUL characters', () => {
    it('answer 400 naming where the NUL was, in the path, a query parameter or a JSON value', async () => {
      const inPath = await request(t.url, 'GET', '/api/probe/items/a%00b');
      expect(inPath.status).toBe(400);
      expect(JSON.parse(inPath.body).error.message).toContain('path contains a NUL character');

      const inQuery = await request(t.url, 'GET', '/api/probe/search?q=a%00b');
      expect(inQuery.status).toBe(400);
      expect(JSON.parse(inQuery.body)).toMatchObject({ error: { name: 'InputError', details: { errors: [{ path: 'query.q' }] } } });

      const inBody = await request(t.url, 'POST', '/api/probe/notes', { 'content-type': 'application/json' }, '{"a":{"b":["ok","x\\u0000y"]}}');
      expect(inBody.status).toBe(400);
      expect(JSON.parse(inBody.body)).toMatchObject({
        error: {
          message: 'Invalid request: body.a.b[1] contains a NUL character (\\u0000), which is not allowed',
          details: { errors: [{ path: 'body.a.b[1]' }] },
        },
      });
      const inKey = await request(t.url, 'POST', '/api/probe/notes', { 'content-type': 'application/json' }, '{"a\\u0000":1}');
      expect(inKey.status).toBe(400);
    });

    it('leaves values without NUL alone, including an escaped backslash before u0000', async () => {
      expect(JSON.parse((await request(t.url, 'GET', '/api/probe/items/a%20b')).body)).toEqual({ name: 'a b' });
      const note = await request(t.url, 'POST', '/api/probe/notes', { 'content-type': 'application/json' }, '{"a":"x\\\\u0000y"}');
      expect(note.status).toBe(201);
      expect(JSON.parse(note.body)).toEqual({ note: { a: 'x\\u0000y' } });
    });
  });
});
