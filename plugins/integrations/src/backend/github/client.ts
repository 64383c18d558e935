import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { RateLimitState } from '../../common/index.js';

/** How a target authenticates: a token, or a GitHub App installation. */
export type GitHubAuth = { token: string } | { appId: number; privateKey: string; installationId?: number };

/** A GitHub answer that says to wait: a primary limit used up, or a secondary limit (`retry-after`). */
export class RateLimitedError extends Error {
  constructor(
    readonly until: Date,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RateLimitedError';
  }
}

export interface GitHubClient {
  octokit: Octokit;
  /** The last rate-limit headers seen. */
  rate: RateLimitState;
  /** Requests sent (every one, 304s included). */
  calls: number;
}

const header = (h: Record<string, unknown> | undefined, name: string): string | undefined => {
  const v = h?.[name];
  return v === undefined || v === null ? undefined : String(v);
};

/** Whether an Octokit error is a rate limit; if so, until when to wait. */
export function rateLimitOf(e: unknown, now = Date.now()): RateLimitedError | undefined {
  const err = e as { status?: number; response?: { headers?: Record<string, unknown>; data?: { message?: string } } };
  if (err?.status !== 403 && err?.status !== 429) return undefined;
  const h = err.response?.headers;
  const retryAfter = header(h, 'retry-after');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) {
    return new RateLimitedError(new Date(now + Number(retryAfter) * 1000), `GitHub secondary rate limit (${err.status}): retry after ${retryAfter} s`);
  }
  if (header(h, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(h, 'x-ratelimit-reset'));
    const until = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(now + 60_000);
    return new RateLimitedError(until, `GitHub API rate limit exhausted (x-ratelimit-remaining: 0): resumes at ${until.toISOString()}`);
  }
  if (err.status === 429 || /secondary rate limit/i.test(err.response?.data?.message ?? '')) {
    return new RateLimitedError(new Date(now + 60_000), `GitHub secondary rate limit (${err.status}) without retry-after: waiting a minute`);
  }
  return undefined;
}

/**
 * An Octokit for one target, without its retry/throttle plugins: discovery handles rate limits
 * itself and persists the pause so a restart resumes (see discovery.ts). Every answer's
 * rate-limit headers are kept in `rate`.
 */
export function createGitHubClient(options: { baseUrl: string; auth: GitHubAuth; org?: string; fetch?: typeof fetch }): GitHubClient {
  const state: GitHubClient = { octokit: undefined as never, rate: { limit: null, remaining: null, resetAt: null }, calls: 0 };
  const fetchImpl = options.fetch ?? fetch;
  const countingFetch: typeof fetch = async (input, init) => {
    state.calls += 1;
    const res = await fetchImpl(input, init);
    const limit = res.headers.get('x-ratelimit-limit');
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = res.headers.get('x-ratelimit-reset');
    if (limit !== null) state.rate.limit = Number(limit);
    if (remaining !== null) state.rate.remaining = Number(remaining);
    if (reset !== null) state.rate.resetAt = new Date(Number(reset) * 1000).toISOString();
    return res;
  };
  const common = {
    baseUrl: options.baseUrl,
    userAgent: 'atrium-integrations',
    request: { fetch: countingFetch },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  };
  if ('token' in options.auth) {
    state.octokit = new Octokit({ ...common, auth: options.auth.token });
  } else {
    state.octokit = new Octokit({
      ...common,
      authStrategy: createAppAuth,
      auth: {
        appId: options.auth.appId,
        privateKey: options.auth.privateKey,
        ...(options.auth.installationId ? { installationId: options.auth.installationId } : {}),
      },
    });
  }
  return state;
}

/** Parses `x-oauth-scopes`; `repo` implies its sub-scopes, `admin:org`/`write:org` imply `read:org`. */
export function missingScopes(granted: string[], needed: string[]): string[] {
  const has = new Set(granted);
  const implied: Record<string, string[]> = { 'read:org': ['write:org', 'admin:org'], public_repo: ['repo'], 'repo:status': ['repo'] };
  return needed.filter((s) => !has.has(s) && !(implied[s] ?? []).some((i) => has.has(i)));
}
