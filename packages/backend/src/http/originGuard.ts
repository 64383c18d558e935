import { NotAllowedError } from '@atrium/backend-plugin-api';
import type { RequestHandler } from 'express';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Paths probes and scrapers call by pod or container address; they answer no API data. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface OriginPolicyOptions {
  /** `backend.baseUrl`. */
  baseUrl: URL;
  /** `backend.allowedOrigins`: other origins browsers may call the API from / names the server answers to. */
  allowedOrigins: URL[];
  /** The port the server actually listens on (known after listen; a configured port may be 0). */
  boundPort: () => number | undefined;
}

interface HostPort {
  hostname: string;
  port: string;
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_NAMES.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/** A Host header does not say the scheme, so both default ports are written as ''. */
const normalPort = (port: string) => (port === '80' || port === '443' ? '' : port);

function hostPortOf(url: URL): HostPort {
  return { hostname: url.hostname.toLowerCase(), port: normalPort(url.port) };
}

function parseHostHeader(value: string): HostPort | undefined {
  try {
    const url = new URL(`http://${value}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return hostPortOf(url);
  } catch {
    return undefined;
  }
}

/**
 * Which `Host` and `Origin` values the server accepts. The public URL (`backend.baseUrl`) and
 * `backend.allowedOrigins` are accepted; when the public URL is a loopback address, every
 * loopback name (localhost, 127.0.0.1, [::1]) on the same or the actually bound port is too,
 * so a laptop works whichever name the browser uses.
 */
export class OriginPolicy {
  private readonly names: HostPort[];
  private readonly origins: Set<string>;
  private readonly loopbackBase: boolean;

  constructor(private readonly options: OriginPolicyOptions) {
    this.names = [options.baseUrl, ...options.allowedOrigins].map(hostPortOf);
    this.origins = new Set([options.baseUrl, ...options.allowedOrigins].map((u) => u.origin));
    this.loopbackBase = isLoopback(options.baseUrl.hostname.toLowerCase());
  }

  hostAllowed(header: string | undefined): boolean {
    if (!header) return false;
    const host = parseHostHeader(header);
    if (!host) return false;
    if (this.names.some((n) => n.hostname === host.hostname && n.port === host.port)) return true;
    if (this.loopbackBase && isLoopback(host.hostname)) {
      const bound = this.options.boundPort();
      const ports = [normalPort(this.options.baseUrl.port), bound === undefined ? undefined : normalPort(String(bound))];
      return ports.some((p) => p !== undefined && p !== '0' && p === host.port);
    }
    return false;
  }

  /** An Origin header is accepted when it is a configured origin or names one of this server's hosts. */
  originAllowed(origin: string): boolean {
    if (this.origins.has(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.origin !== origin || (url.protocol !== 'http:' && url.protocol !== 'https:')) return false;
    return this.hostAllowed(url.host);
  }

  describe(): string {
    return [this.options.baseUrl.origin, ...this.options.allowedOrigins.map((u) => u.origin)].join(', ');
  }
}

/**
 * Refuses requests whose `Host` is not one of this server's names (a DNS-rebinding page reaches
 * the server under the attacker's name). Probe endpoints are exempt: orchestrators call them
 * by address.
 */
export function hostGuard(policy: OriginPolicy): RequestHandler {
  // Host values already found good: a browser or client sends the same one on every request.
  const allowed = new Set<string>();
  return (req, _res, next) => {
    const host = req.headers.host;
    if (host !== undefined && allowed.has(host)) return next();
    if (PROBE_PATHS.has(req.path)) return next();
    if (policy.hostAllowed(host)) {
      if (allowed.size >= 64) allowed.clear();
      if (host !== undefined) allowed.add(host);
      return next();
    }
    next(
      new NotAllowedError(
        `This server does not answer to the host name "${req.headers.host ?? ''}". It is configured for ${policy.describe()}: ` +
          `set backend.baseUrl to the address people use, or add this one to backend.allowedOrigins.`,
      ),
    );
  };
}

/**
 * Refuses API requests a browser sent from another site: an `Origin` header that is neither the
 * server's own origin nor in backend.allowedOrigins. Requests without Origin (curl, servers,
 * same-origin GETs) pass; cross-site mutations always carry it.
 */
export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || policy.originAllowed(origin)) return next();
    next(
      new NotAllowedError(
        `Requests from the web origin "${origin}" are not allowed. Pages of ${policy.describe()} may call this API; ` +
          `add other origins to backend.allowedOrigins.`,
      ),
    );
  };
}
