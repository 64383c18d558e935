import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { assertOutboundAllowed, ReadError } from '@atrium/source-readers';
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

/**
 * Calls a webhook or API. The URL goes through the shared outbound guard (loopback, private,
 * link-local and reserved destinations refused after resolution unless
 * `scaffolder.http.allowPrivateNetworks`) and the connection goes to an address the guard
 * checked. Redirects are not followed.
 */
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
      let addresses: string[];
      try {
        ({ addresses } = await assertOutboundAllowed(url.href, {
          allowPrivateNetworks: settings.allowPrivateNetworks,
          transports: ['http', 'https'],
          privateNetworksKey: 'scaffolder.http.allowPrivateNetworks',
        }));
      } catch (error) {
        if (error instanceof ReadError) throw new Error(`http:request: ${error.message}`);
        throw error;
      }
      const method = ctx.input.method ?? 'GET';
      const body = ctx.input.body === undefined ? undefined : typeof ctx.input.body === 'string' ? ctx.input.body : JSON.stringify(ctx.input.body);
      const headers = {
        ...(body !== undefined && typeof ctx.input.body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...(ctx.input.headers ?? {}),
      };
      ctx.logger.info(`${method} ${url.origin}${url.pathname}`);
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.input.timeoutMs ?? 30_000)]);
      const res = await send(url, { method, headers, body, signal, addresses });
      const buf = await readBody(res, settings.maxResponseBytes);
      const text = buf.toString('utf8');
      let parsed: unknown = text;
      if (String(res.headers['content-type'] ?? '').includes('json')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          /* keep the text */
        }
      }
      const status = res.statusCode ?? 0;
      ctx.output('code', status);
      ctx.output('headers', res.headers);
      ctx.output('body', parsed);
      ctx.logger.info(`Response ${status}`);
      if (status >= 400) throw new Error(`http:request: ${method} ${url.origin}${url.pathname} answered ${status}`);
    },
  });
}

/** A lookup that answers only with the addresses the guard checked (no second DNS answer). */
function pinnedLookup(addresses: string[]): LookupFunction | undefined {
  if (addresses.length === 0) return undefined;
  const entries = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  }) as unknown as LookupFunction;
}

function send(
  url: URL,
  o: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal; addresses: string[] },
): Promise<IncomingMessage> {
  const lookup = pinnedLookup(o.addresses);
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, {
      method: o.method,
      headers: o.headers,
      signal: o.signal,
      agent: false,
      ...(lookup ? { lookup } : {}),
    });
    req.on('response', resolve);
    req.on('error', (e) => reject(new Error(`http:request: ${o.method} ${url.origin}${url.pathname} failed: ${e.message}`)));
    req.end(o.body);
  });
}

function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new Error(`http:request: the response is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}
