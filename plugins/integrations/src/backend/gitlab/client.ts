import { Gitlab } from '@gitbeaker/rest';
import { createRequesterFn } from '@gitbeaker/requester-utils';

/** What the GitLab API said about its rate limit on the last response (`RateLimit-*` headers). */
export interface GitLabRateState {
  limit: number | null;
  remaining: number | null;
  /** Epoch milliseconds when the window resets. */
  resetAt: number | null;
  /** API requests sent by this client (retries included). */
  calls: number;
}

/** The API refused for its rate limit for longer than we wait in one run: resume after `until`. */
export class GitLabRateLimitedError extends Error {
  constructor(
    readonly until: Date,
    readonly reason: string,
  ) {
    super(`GitLab rate limit: ${reason}; resuming after ${until.toISOString()}`);
    this.name = 'GitLabRateLimitedError';
  }
}

/** A non-2xx answer from the GitLab API (other than a rate limit). */
export class GitLabApiError extends Error {
  constructor(
    readonly status: number,
    readonly endpoint: string,
    readonly description: string,
  ) {
    super(`GitLab API ${status} on ${endpoint}: ${description}`);
    this.name = 'GitLabApiError';
  }
}

export interface GitLabClientOptions {
  /** REST root, `https://gitlab.example.com/api/v4`. */
  apiBaseUrl: string;
  token: string;
  /** Wait at most this long for one `Retry-After` (or a rate-limit reset) before giving up the run (default 30 s). */
  maxRetryWaitSeconds?: number;
  /** Stop before the window is used up: pause when `RateLimit-Remaining` is at or below this (default 0). */
  reserve?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Starting rate state (persisted by discovery, so a restart does not hammer an exhausted limit). */
  rate?: Partial<GitLabRateState>;
  /** Injected in tests that must not wait. */
  sleep?: (ms: number) => Promise<void>;
}

export type GitLabApi = InstanceType<typeof Gitlab<false>>;

export interface GitLabClient {
  api: GitLabApi;
  rate: GitLabRateState;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function num(v: string | null): number | null {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Seconds (or an HTTP date) from `Retry-After`, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}

/**
 * `@gitbeaker/rest`'s resources with our own request handler (gitbeaker's documented
 * `requesterFn` extension): it reads `RateLimit-Limit/Remaining/Reset` from every answer, waits
 * before a request when the window is used up, honours `Retry-After` on 429 (gitbeaker's default
 * handler retries 429 after a fixed sub-second delay and ignores the header), never follows
 * redirects, and turns a long wait into {@link GitLabRateLimitedError} so the caller can persist
 * where it stopped and resume later.
 */
export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const rate: GitLabRateState = { limit: null, remaining: null, resetAt: null, calls: 0, ...options.rate };
  const maxWaitMs = (options.maxRetryWaitSeconds ?? 30) * 1000;
  const reserve = options.reserve ?? 0;
  const sleep = options.sleep ?? defaultSleep;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const apiBase = options.apiBaseUrl.replace(/\/+$/, '');

  async function waitOrPause(ms: number, reason: string): Promise<void> {
    if (ms > maxWaitMs) throw new GitLabRateLimitedError(new Date(Date.now() + ms), reason);
    if (ms > 0) await sleep(ms);
  }

  async function handler(endpoint: string, requestOptions?: Record<string, unknown>) {
    const {
      prefixUrl,
      searchParams,
      method,
      asStream,
      rateLimiters: _limiters,
      agent: _agent,
      signal,
      ...init
    } = (requestOptions ?? {}) as {
      prefixUrl?: string;
      searchParams?: string;
      method?: string;
      asStream?: boolean;
      rateLimiters?: unknown;
      agent?: unknown;
      signal?: AbortSignal;
      headers?: Record<string, string>;
      body?: RequestInit['body'];
    };
    const base = prefixUrl ? (prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`) : `${apiBase}/`;
    const url = new URL(endpoint, base);
    url.search = searchParams ?? '';
    for (let attempt = 0; ; attempt++) {
      if (rate.remaining !== null && rate.remaining <= reserve && rate.resetAt !== null && rate.resetAt > Date.now()) {
        await waitOrPause(rate.resetAt - Date.now(), `RateLimit-Remaining is ${rate.remaining}`);
        rate.remaining = null;
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      rate.calls++;
      const response = await fetch(url, {
        ...init,
        method: method ?? 'GET',
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const limit = num(response.headers.get('ratelimit-limit'));
      const remaining = num(response.headers.get('ratelimit-remaining'));
      const reset = num(response.headers.get('ratelimit-reset'));
      if (limit !== null) rate.limit = limit;
      if (remaining !== null) rate.remaining = remaining;
      if (reset !== null) rate.resetAt = reset * 1000;
      if (response.ok) {
        const headers = Object.fromEntries(response.headers.entries());
        if (asStream) return { body: response.body, headers, status: response.status };
        if (response.status === 204) return { body: null, headers, status: response.status };
        const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
        const body = type === 'application/json' ? ((await response.json()) ?? {}) : type.startsWith('text/') ? await response.text() : await response.blob();
        return { body, headers, status: response.status };
      }
      if (response.status === 429 || (response.status === 503 && response.headers.has('retry-after'))) {
        await response.body?.cancel();
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? (rate.resetAt !== null ? rate.resetAt - Date.now() : 2 ** attempt * 1000);
        if (attempt >= 5)
          throw new GitLabRateLimitedError(new Date(Date.now() + Math.max(wait, 1000)), `still ${response.status} after ${attempt + 1} attempts`);
        await waitOrPause(Math.max(wait, 0), `${response.status} with Retry-After ${response.headers.get('retry-after') ?? 'absent'}`);
        continue;
      }
      const text = await response.text();
      let description = text.slice(0, 500);
      try {
        const json = JSON.parse(text) as { message?: unknown; error?: unknown };
        const m = json.message ?? json.error;
        if (m !== undefined) description = typeof m === 'string' ? m : JSON.stringify(m);
      } catch {
        /* not JSON */
      }
      if (response.status >= 300 && response.status < 400) description = `redirect to ${response.headers.get('location') ?? '?'} refused`;
      throw new GitLabApiError(response.status, `${method ?? 'GET'} ${url.pathname}`, description);
    }
  }

  const requesterFn = createRequesterFn((_service: unknown, reqo: unknown) => Promise.resolve(reqo as never), handler as never);
  const host = apiBase.replace(/\/api\/v4$/, '');
  const api = new Gitlab({ host, token: options.token, requesterFn } as never) as GitLabApi;
  return { api, rate };
}

export function isNotFound(e: unknown): boolean {
  return e instanceof GitLabApiError && e.status === 404;
}
