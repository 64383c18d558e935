import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpRequestAction } from './http.js';
import type { ActionContext } from './types.js';

describe('http:request', () => {
  const hits: string[] = [];
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const run = async (allowPrivateNetworks: boolean, url: string) => {
    const outputs: Record<string, unknown> = {};
    const action = createHttpRequestAction({ allowPrivateNetworks, maxResponseBytes: 1024 });
    await action.handler({
      input: { url, method: 'POST', body: { a: 1 } },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      output: (k: string, v: unknown) => void (outputs[k] = v),
      signal: new AbortController().signal,
    } as unknown as ActionContext<{ url: string }>);
    return outputs;
  };

  it('refuses loopback, private and reserved destinations in every spelling, reaching nothing', async () => {
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://LOCALHOST.:${port}/hook`,
      `http://2130706433:${port}/hook`,
      `http://0x7f.0.0.1:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      `http://[::1]:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://metadata.google.internal/computeMetadata/v1/',
    ]) {
      await expect(run(false, url), url).rejects.toThrow(/^http:request: Refusing/);
    }
    expect(hits).toEqual([]);
  });

  it('calls private addresses when scaffolder.http.allowPrivateNetworks is set', async () => {
    const out = await run(true, `http://127.0.0.1:${port}/hook`);
    expect(out).toMatchObject({ code: 200, body: { ok: true } });
    expect(hits).toEqual(['POST /hook']);
  });
});
