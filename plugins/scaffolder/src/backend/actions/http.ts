import dns from 'node:dns/promises';
import net from 'node:net';
import { isPrivateAddress } from '@atrium/source-readers';
import { createTemplateAction, type TemplateAction } from './types.js';

interface HttpInput {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

export interface HttpSettings {
  allowPrivateNetworks: boolean;
  maxResponseBytes: number;
}

/** Calls a webhook or API; private-network targets are refused unless configured. */
export function createHttpRequestAction(settings: HttpSettings): TemplateAction<HttpInput> {
  return createTemplateAction<HttpInput>({
    id: 'http:request',
    description: 'Calls a webhook or HTTP API; outputs code, headers and body (parsed when JSON).',
    schema: {
      input: {
        type: 'object',
        required: ['url'],
        properties: {
          url: { type: 'string', pattern: '^https?://' },
          method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          body: {},
          timeoutMs: { type: 'number', minimum: 1, maximum: 600_000 },
        },
      },
      output: { type: 'object', properties: { code: { type: 'number' }, headers: { type: 'object' }, body: {} } },
    },
    async handler(ctx) {
      const url = new URL(ctx.input.url);
      if (!settings.allowPrivateNetworks) {
        const host = url.hostname.replace(/^\[|\]$/g, '');
        const addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
        if (addresses.some((a) => isPrivateAddress(a))) {
          throw new Error(`http:request: ${url.host} resolves to a private address; set scaffolder.http.allowPrivateNetworks to allow it`);
        }
      }
      const method = ctx.input.method ?? 'GET';
      const body = ctx.input.body === undefined ? undefined : typeof ctx.input.body === 'string' ? ctx.input.body : JSON.stringify(ctx.input.body);
      const headers = { ...(body !== undefined && typeof ctx.input.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...(ctx.input.headers ?? {}) };
      ctx.logger.info(`${method} ${url.origin}${url.pathname}`);
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.input.timeoutMs ?? 30_000)]);
      const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal, redirect: 'manual' });
      const buf = Buffer.from(await res.arrayBuffer());
      if (buf.length > settings.maxResponseBytes) throw new Error(`http:request: the response is larger than ${settings.maxResponseBytes} bytes`);
      const text = buf.toString('utf8');
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          /* keep the text */
        }
      }
      ctx.output('code', res.status);
      ctx.output('headers', Object.fromEntries(res.headers.entries()));
      ctx.output('body', parsed);
      ctx.logger.info(`Response ${res.status}`);
      if (res.status >= 400) throw new Error(`http:request: ${method} ${url.origin}${url.pathname} answered ${res.status}`);
    },
  });
}
