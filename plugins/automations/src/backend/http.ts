import { createHmac } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { assertOutboundAllowed, isHostAllowed } from '@atrium/source-readers';

export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface OutboundResult {
  statusCode?: number;
  durationMs: number;
  /** The start of the response body (at most `maxLogBytes`), with a note when cut. */
  response?: string;
  error?: string;
  /** Refused before sending (SSRF guard): never worth a retry. */
  refused?: boolean;
  timedOut?: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  maxLogBytes: number;
  /** Hosts that may be private or loopback (`automations.allowedHosts`). */
  allowedHosts: readonly string[];
  /** Keep-alive agents to reuse connections with; without them every request opens its own. */
  agents?: OutboundAgents;
}

export interface OutboundAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Agents that keep connections to receivers open between deliveries. An idle connection is
 * closed after 4 s, or a second before the receiver says it closes it (`Keep-Alive: timeout=`),
 * so a request is seldom sent on a connection the receiver is closing; when one is, it fails
 * like any dropped connection and is retried.
 */
export function createOutboundAgents(): OutboundAgents {
  const options = { keepAlive: true, timeout: 4000, maxFreeSockets: 64, scheduling: 'lifo' as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

/**
 * Sends one webhook request. The URL goes through the shared SSRF guard first: a loopback,
 * private, link-local or reserved destination is refused unless its host is in
 * `automations.allowedHosts`; the connection goes to an address the guard checked (no second
 * DNS lookup). Redirects are not followed. The response body is read up to `maxLogBytes` and the
 * rest discarded, so a 10 MB answer costs 10 MB of network, not of memory or log.
 */
export async function sendRequest(request: OutboundRequest, options: SendOptions): Promise<OutboundResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { durationMs: 0, error: `not a valid URL: ${request.url}`, refused: true };
  }
  let addresses: string[];
  try {
    const allowPrivate = options.allowedHosts.length > 0 && isHostAllowed(url.hostname, options.allowedHosts);
    const checked = await assertOutboundAllowed(url.href, {
      allowPrivateNetworks: allowPrivate,
      transports: ['http', 'https'],
      privateNetworksKey: 'automations.allowedHosts (add the host)',
    });
    addresses = checked.addresses;
  } catch (e) {
    return { durationMs: elapsed(), error: (e as Error).message, refused: true };
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise<OutboundResult>((resolve) => {
    let settled = false;
    const done = (r: Omit<OutboundResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: elapsed() });
    };
    const req = lib.request(url, {
      method: request.method,
      signal,
      agent: options.agents ? (url.protocol === 'https:' ? options.agents.https : options.agents.http) : false,
      ...(addresses.length ? { lookup: pinnedLookup(addresses) } : {}),
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'atrium-automations',
      },
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (kept < options.maxLogBytes) {
          const part = chunk.subarray(0, options.maxLogBytes - kept);
          chunks.push(part);
          kept += part.length;
        } else if (total > options.maxLogBytes * 4 + 65_536) {
          // Enough seen to call it truncated; stop reading a huge body.
          res.destroy();
          finish(true);
        }
      });
      const finish = (cut: boolean) => {
        let text = Buffer.concat(chunks).toString('utf8');
        if (cut || total > kept) text += `\n[truncated: kept ${kept} of ${cut ? 'more than ' : ''}${total} bytes]`;
        done({ statusCode: res.statusCode ?? 0, response: text });
      };
      res.on('end', () => finish(false));
      res.on('error', () => finish(true));
    });
    req.on('error', (error) => {
      const timedOut = signal.aborted && (signal.reason as Error | undefined)?.name === 'TimeoutError';
      done(timedOut ? { error: `timed out after ${options.timeoutMs} ms`, timedOut: true } : { error: error.message });
    });
    req.end(request.body);
  });
}

function pinnedLookup(addresses: string[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = (a: string) => (net.isIPv6(a) ? 6 : 4);
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(
        null,
        addresses.map((a) => ({ address: a, family: family(a) })),
      );
    } else callback(null, addresses[0]!, family(addresses[0]!));
  };
}

/** `sha256=<hex>` over `<timestamp>.<body>`: what the `x-atrium-signature` header carries. */
export function signBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Exponential backoff with jitter: cap = min(max, base·2^(attempt-1)); the delay is cap/2 plus a random part of up to cap/2. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}
