import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadError } from './ReadError.js';
import { UrlReader } from './urlReader.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    switch (url.pathname) {
      case '/hello.yaml':
        res.end('hello: world\n');
        return;
      case '/redirect':
        res.writeHead(302, { location: '/hello.yaml' }).end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/to-file':
        res.writeHead(301, { location: 'file:///etc/passwd' }).end();
        return;
      case '/big-declared':
        res.writeHead(200, { 'content-length': String(5000) });
        res.end('x'.repeat(5000));
        return;
      case '/big-streamed': {
        // No content-length: the reader must count while streaming and stop.
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        let sent = 0;
        const push = () => {
          if (sent > 1_000_000 || res.destroyed) return res.end();
          sent += 1000;
          res.write('y'.repeat(1000), () => setImmediate(push));
        };
        push();
        return;
      }
      case '/slow':
        setTimeout(() => res.end('late'), 2000);
        return;
      case '/error':
        res.writeHead(500).end('boom');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const reader = (overrides: Partial<ConstructorParameters<typeof UrlReader>[0]> = {}) =>
  new UrlReader({ allowPrivateNetworks: true, timeoutMs: 5000, maxBytes: 1000, ...overrides });

async function failure(p: Promise<unknown>): Promise<ReadError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReadError);
  return error as ReadError;
}

describe('UrlReader', () => {
  it('reads from a private address when allowed', async () => {
    const { content, url } = await reader().read(`${base}/hello.yaml`);
    expect(content.toString()).toBe('hello: world\n');
    expect(url).toBe(`${base}/hello.yaml`);
  });

  it('refuses loopback addresses by default, whether literal or resolved through DNS', async () => {
    const literal = await failure(reader({ allowPrivateNetworks: false }).read(`${base}/hello.yaml`));
    expect(literal.kind).toBe('security');
    expect(literal.message).toContain('127.0.0.1');
    const port = new URL(base).port;
    const named = await failure(reader({ allowPrivateNetworks: false }).read(`http://localhost:${port}/hello.yaml`));
    expect(named.kind).toBe('security');
    expect(named.message).toMatch(/localhost resolves to/);
  });

  it('follows redirects, re-checking each hop', async () => {
    expect((await reader().read(`${base}/redirect`)).content.toString()).toBe('hello: world\n');
    expect((await failure(reader().read(`${base}/loop`))).message).toMatch(/Too many redirects/);
    expect((await failure(reader().read(`${base}/to-file`))).kind).toBe('security');
  });

  it('reports 404 as not found and other statuses as read errors', async () => {
    const missing = await failure(reader().read(`${base}/nope`));
    expect(missing.notFound).toBe(true);
    const broken = await failure(reader().read(`${base}/error`));
    expect(broken.notFound).toBe(false);
    expect(broken.message).toContain('500');
  });

  it('stops at maxBytes, by declared length or while streaming', async () => {
    expect((await failure(reader().read(`${base}/big-declared`))).message).toMatch(/larger than/);
    expect((await failure(reader().read(`${base}/big-streamed`))).message).toMatch(/larger than/);
  });

  it('times out', async () => {
    const error = await failure(reader({ timeoutMs: 200 }).read(`${base}/slow`));
    expect(error.message).toMatch(/Timed out after 200 ms/);
  });

  it('honours the allowed host list', async () => {
    expect((await reader({ allowedHosts: ['127.0.0.1'] }).read(`${base}/hello.yaml`)).content.toString()).toBe('hello: world\n');
    const refused = await failure(reader({ allowedHosts: ['example.com'] }).read(`${base}/hello.yaml`));
    expect(refused.kind).toBe('security');
    expect(refused.message).toMatch(/not in the allowed URL hosts/);
  });

  it('accepts only http(s) URLs without credentials', async () => {
    expect((await failure(reader().read('ftp://example.com/x'))).kind).toBe('security');
    expect((await failure(reader().read('https://user:pw@example.com/x'))).kind).toBe('security');
  });
});
