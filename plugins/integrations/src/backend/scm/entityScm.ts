import { HttpError, type Logger } from '@atrium/backend-plugin-api';
import type { EntityScmPart, EntityScmSummary } from '../../common/index.js';
import { githubApiBaseUrl, type IntegrationsConfig } from '../config.js';
import { rateLimitOf, RateLimitedError, type GitHubAuth } from '../github/client.js';
import { GitLabApiError, GitLabRateLimitedError } from '../gitlab/client.js';
import { gitlabApiBaseUrl } from '../gitlab/config.js';
import type { IntegrationStore } from '../store.js';
import type { ScmProject } from './annotations.js';
import { FreshCache } from './cache.js';
import { GitHubScmReader, type GitHubScmTarget } from './githubScm.js';
import { GitLabScmReader, type GitLabScmTarget } from './gitlabScm.js';
import type { ScmRead } from './types.js';

/** How long this replica serves an answer before asking the provider again. */
export const SCM_CACHE_SECONDS = 60;

const NAMES = { github: 'GitHub', gitlab: 'GitLab' } as const;

/** 422: the entity names a host no integration covers; says which config key (or page) adds one. */
function notConfigured(p: ScmProject, why?: string): HttpError {
  const key = `integrations.${p.provider}`;
  const message =
    why ??
    `No ${NAMES[p.provider]} integration for host ${p.host} (from the entity's ${p.annotation} annotation${p.provider === 'gitlab' ? ' and gitlab.com/instance' : ' and its source location'}): add an entry with host: ${p.host} and a token${p.provider === 'github' ? ' or a GitHub App' : ''} under ${key} in app-config, or add one on the Integrations page`;
  return new HttpError('IntegrationNotConfiguredError', 422, message, { provider: p.provider, host: p.host, configKey: key });
}

/** 502 naming what the provider answered (or that it could not be reached). */
export function upstreamError(p: ScmProject, e: unknown): HttpError {
  const name = `${NAMES[p.provider]} (${p.host})`;
  const details = (status?: number) => ({ provider: p.provider, host: p.host, ...(status !== undefined ? { upstreamStatus: status } : {}) });
  if (e instanceof HttpError) return e;
  if (e instanceof GitLabRateLimitedError)
    return new HttpError('BadGatewayError', 502, `${name} rate limit: ${e.reason}; try again after ${e.until.toISOString()}`, details(429));
  if (e instanceof RateLimitedError) return new HttpError('BadGatewayError', 502, `${name}: ${e.reason}`, details());
  const limited = p.provider === 'github' ? rateLimitOf(e) : undefined;
  if (limited) return new HttpError('BadGatewayError', 502, `${name}: ${limited.reason}`, details((e as { status: number }).status));
  const status = e instanceof GitLabApiError ? e.status : (e as { status?: unknown })?.status;
  if (typeof status === 'number') {
    const said =
      e instanceof GitLabApiError ? e.description : ((e as { response?: { data?: { message?: string } } }).response?.data?.message ?? (e as Error).message);
    const hint =
      status === 401
        ? ': the integration’s credentials were refused (revoked, expired or wrong)'
        : status === 404
          ? `: ${p.project} does not exist there, or the integration’s credentials cannot see it`
          : status === 403
            ? ': the integration’s credentials may not read it (missing scope or permission)'
            : '';
    return new HttpError('BadGatewayError', 502, `${name} answered ${status} for ${p.project}${hint} (${String(said).slice(0, 300)})`, details(status));
  }
  const cause = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
  return new HttpError('BadGatewayError', 502, `${name} could not be reached for ${p.project}: ${cause}`, details());
}

/** One settled part as the route answers it: its data, or the error the provider's failure is worded as. */
function partOf<T>(p: ScmProject, settled: PromiseSettledResult<T>): EntityScmPart<T> {
  if (settled.status === 'fulfilled') return { status: 'ok', data: settled.value };
  const e = upstreamError(p, settled.reason);
  const upstreamStatus = (e.details as { upstreamStatus?: unknown } | undefined)?.upstreamStatus;
  return { status: 'error', error: { name: e.name, message: e.message, ...(typeof upstreamStatus === 'number' ? { upstreamStatus } : {}) } };
}

/**
 * What an entity's repository shows now: the integration for its host (config first, then
 * those added on the Integrations page), read through the provider's client, kept
 * {@link SCM_CACHE_SECONDS} s per replica (concurrent requests share one read).
 */
export class EntityScmService {
  private readonly cache: FreshCache<EntityScmSummary>;
  private readonly github = new GitHubScmReader();
  private readonly gitlab = new GitLabScmReader();

  constructor(private readonly deps: { config: IntegrationsConfig; store: IntegrationStore; logger: Logger; now?: () => number }) {
    this.cache = new FreshCache({
      ttlMs: SCM_CACHE_SECONDS * 1000,
      maxEntries: 2000,
      keep: (summary) => [summary.runs, summary.changes, summary.lastCommit].every((part) => part.status === 'ok'),
      ...(deps.now ? { now: deps.now } : {}),
    });
  }

  /**
   * The repository's three parts, each with its own status: a part the provider failed on carries
   * the error (worded as the 502 would be) and the others their data. Only when all three fail is
   * it a 502. Only complete answers are kept: a partial one is asked for again at the next request.
   */
  async summary(p: ScmProject, options: { refresh?: boolean } = {}): Promise<EntityScmSummary> {
    const key = `${p.provider}|${p.host}|${p.project.toLowerCase()}`;
    return this.cache.get(
      key,
      async () => {
        let read: ScmRead;
        try {
          read =
            p.provider === 'github'
              ? await this.github.read(await this.githubTarget(p), p.project)
              : await this.gitlab.read(await this.gitlabTarget(p), p.project);
        } catch (e) {
          throw this.failed(p, e, 'entity SCM read failed');
        }
        const parts = [
          ['CI runs', read.runs],
          ['open changes', read.changes],
          ['last commit', read.lastCommit],
        ] as const;
        const rejected = parts.filter(([, s]) => s.status === 'rejected');
        if (rejected.length === parts.length) throw this.failed(p, (read.runs as PromiseRejectedResult).reason, 'entity SCM read failed');
        for (const [what, s] of rejected) this.failed(p, (s as PromiseRejectedResult).reason, `entity SCM read of the ${what} failed`);
        return { ...read, runs: partOf(p, read.runs), changes: partOf(p, read.changes), lastCommit: partOf(p, read.lastCommit) };
      },
      options.refresh ?? false,
    );
  }

  /** The error the provider's failure is answered with (a 502 is logged). */
  private failed(p: ScmProject, e: unknown, what: string): HttpError {
    const error = upstreamError(p, e);
    if (error.statusCode === 502) this.deps.logger.warn({ host: p.host, project: p.project }, `integrations: ${what}: ${error.message}`);
    return error;
  }

  private async githubTarget(p: ScmProject): Promise<GitHubScmTarget> {
    const entry = this.deps.config.github.find((g) => g.host.toLowerCase() === p.host);
    if (entry) {
      const app = entry.apps?.[0];
      const auth: GitHubAuth | undefined = entry.token
        ? { token: entry.token }
        : app
          ? { appId: app.appId, privateKey: app.privateKey, ...(app.installationId ? { installationId: app.installationId } : {}) }
          : undefined;
      if (!auth) throw notConfigured(p, `The integrations.github entry for host ${p.host} has neither a token nor apps: add one of them to read ${p.project}`);
      return { host: p.host, baseUrl: githubApiBaseUrl(entry), auth };
    }
    const stored = (await this.deps.store.list('github')).find((i) => i.host.toLowerCase() === p.host);
    if (!stored) throw notConfigured(p);
    const creds = this.credentialsOf(p, stored);
    const auth: GitHubAuth | undefined = creds.token
      ? { token: creds.token }
      : creds.appId && creds.privateKey
        ? { appId: creds.appId, privateKey: creds.privateKey, ...(creds.installationId ? { installationId: creds.installationId } : {}) }
        : undefined;
    if (!auth) throw notConfigured(p, `The GitHub integration "${stored.name}" for host ${p.host} has no token or App credentials`);
    return { host: p.host, baseUrl: stored.apiBaseUrl, auth };
  }

  private async gitlabTarget(p: ScmProject): Promise<GitLabScmTarget> {
    const entry = this.deps.config.gitlab.find((g) => g.host.toLowerCase() === p.host);
    if (entry) {
      if (!entry.token) throw notConfigured(p, `The integrations.gitlab entry for host ${p.host} has no token: add one (scope read_api) to read ${p.project}`);
      return { host: p.host, apiBaseUrl: gitlabApiBaseUrl(entry), token: entry.token };
    }
    const stored = (await this.deps.store.list('gitlab')).find((i) => i.host.toLowerCase() === p.host);
    if (!stored) throw notConfigured(p);
    const token = this.credentialsOf(p, stored).token;
    if (!token) throw notConfigured(p, `The GitLab integration "${stored.name}" for host ${p.host} has no token`);
    return { host: p.host, apiBaseUrl: stored.apiBaseUrl, token };
  }

  private credentialsOf(p: ScmProject, stored: Awaited<ReturnType<IntegrationStore['list']>>[number]) {
    try {
      return stored.credentials();
    } catch {
      throw notConfigured(
        p,
        `The credentials of the ${NAMES[p.provider]} integration "${stored.name}" cannot be decrypted (was integrations.encryptionKey changed?)`,
      );
    }
  }
}
