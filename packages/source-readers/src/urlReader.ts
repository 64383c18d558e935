import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import { ReadError } from './ReadError.js';
import { tooLarge } from './fileReader.js';
import { assertOutboundAllowed } from './netGuard.js';

export interface UrlReaderOptions {
  allowPrivateNetworks: boolean;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects?: number;
  /** Hosts that may be read (`*.example.com` for subdomains); undefined allows all. */
  allowedHosts?: readonly string[];
  /** The config key refusals name, e.g. `catalog.readers.allowPrivateNetworks`. */
  privateNetworksKey?: string;
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Reads one http(s) URL. Every hop (the URL and each redirect) goes through the shared guard
 * (assertOutboundAllowed): host names are resolved before connecting and the connection goes
 * to an address that was checked (no second lookup an attacker's DNS could answer
 * differently). The body is streamed and
 * abandoned as soon as it passes maxBytes.
 */
export class UrlReader {
  constructor(private readonly options: UrlReaderOptions) {}

  async read(target: string): Promise<{ content: Buffer; url: string }> {
    let url = parseHttpUrl(target);
    const maxRedirects = this.options.maxRedirects ?? 5;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    for (let hop = 0; ; hop++) {
      const response = await this.request(url, signal, target);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.resume();
        const location = response.headers.location;
        if (!location) throw new ReadError('read', `${url.href} answered ${status} without a Location header`);
        if (hop >= maxRedirects) throw new ReadError('read', `Too many redirects reading ${target} (more than ${maxRedirects})`);
        url = parseHttpUrl(new URL(location, url).href, `${target} redirects to`);
        continue;
      }
      if (status === 404 || status === 410) {
        response.resume();
        throw new ReadError('read', `Not found: ${url.href} answered ${status}`, { notFound: true });
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new ReadError('read', `Cannot read ${url.href}: the server answered ${status} ${response.statusMessage ?? ''}`.trim());
      }
      return { content: await this.body(response, url.href, signal), url: url.href };
    }
  }

  private async request(url: URL, signal: AbortSignal, original: string): Promise<IncomingMessage> {
    // The shared guard: scheme, host list, and every address the host resolves to.
    const checked = await assertOutboundAllowed(url.href, {
      allowPrivateNetworks: this.options.allowPrivateNetworks,
      transports: ['http', 'https'],
      ...(this.options.allowedHosts ? { allowedHosts: this.options.allowedHosts } : {}),
      ...(this.options.privateNetworksKey ? { privateNetworksKey: this.options.privateNetworksKey } : {}),
    }).catch((error: unknown) => {
      throw this.wrap(error, url, signal, original);
    });
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, {
        method: 'GET',
        signal,
        lookup: pinnedLookup(checked.addresses),
        headers: { accept: '*/*', 'user-agent': 'atrium-catalog' },
        agent: false,
      });
      req.on('response', resolve);
      req.on('error', (error) => reject(this.wrap(error, url, signal, original)));
      req.end();
    });
  }

  private wrap(error: unknown, url: URL, signal: AbortSignal, original: string): ReadError {
    if (error instanceof ReadError) return error;
    if (signal.aborted) {
      const reason = signal.reason as Error | undefined;
      if (reason?.name === 'TimeoutError') {
        return new ReadError('read', `Timed out after ${this.options.timeoutMs} ms reading ${original}`);
      }
      return new ReadError('read', `Reading ${original} was cancelled`);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND') return new ReadError('read', `Cannot resolve host ${url.hostname} (reading ${original})`, { notFound: true });
    return new ReadError('read', `Cannot read ${url.href}: ${(error as Error).message}`);
  }

  private async body(response: IncomingMessage, where: string, signal: AbortSignal): Promise<Buffer> {
    const { maxBytes } = this.options;
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw tooLarge(where, maxBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          response.destroy();
          throw tooLarge(where, maxBytes);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      throw this.wrap(error, new URL(where), signal, where);
    }
    return Buffer.concat(chunks, size);
  }
}

function parseHttpUrl(value: string, context = 'URL'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ReadError('read', `${context} ${JSON.stringify(value)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ReadError('security', `${context} ${JSON.stringify(value)}: only http and https URLs can be read`);
  }
  if (url.username || url.password) {
    throw new ReadError('security', `${context} ${JSON.stringify(url.origin)}: credentials in URLs are not allowed`);
  }
  return url;
}

/**
 * Connects only to the addresses the guard checked (no second lookup that DNS could answer
 * differently); with nothing checked (private networks allowed) the system resolver is used.
 */
function pinnedLookup(addresses: string[]): LookupFunction | undefined {
  if (addresses.length === 0) return undefined;
  const list = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  return (_hostname, options, callback) => {
    const usable = options.family ? list.filter((a) => a.family === options.family) : list;
    if (usable.length === 0) return callback(new ReadError('read', `No IPv${options.family} address was checked for this host`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: typeof list) => void)(null, usable);
    callback(null, usable[0]!.address, usable[0]!.family);
  };
}
