import crypto from 'node:crypto';
import type { EntityScmChange, EntityScmCommit, EntityScmRun, ScmRunState } from '../../common/index.js';
import { createGitHubClient, type GitHubAuth, type GitHubClient } from '../github/client.js';
import { BoundedMap } from './cache.js';
import type { ScmRead } from './types.js';

/** A GitHub host with the credentials to read it. */
export interface GitHubScmTarget {
  host: string;
  baseUrl: string;
  auth: GitHubAuth;
}

const LIMIT = 5;
const TIMEOUT_MS = 10_000;

/** A workflow run's status and conclusion in the card's words. */
export function githubRunState(status: string | null, conclusion: string | null): ScmRunState {
  if (status === 'completed') {
    if (conclusion === 'success') return 'success';
    if (conclusion === 'failure' || conclusion === 'timed_out' || conclusion === 'startup_failure') return 'failure';
    if (conclusion === 'cancelled') return 'cancelled';
    if (conclusion === 'skipped') return 'skipped';
    return 'other';
  }
  if (status === 'in_progress') return 'running';
  if (status === 'queued' || status === 'waiting' || status === 'pending' || status === 'requested') return 'queued';
  return 'other';
}

const firstLine = (s: string) => s.split('\n')[0] ?? '';

/**
 * Reads a repository's latest workflow runs, open pull requests and the default branch's last
 * commit with Octokit. Every request is conditional once an answer is known (If-None-Match with
 * its ETag): an unchanged answer is a 304, which GitHub does not count against the rate limit.
 * Clients are kept per credentials, so an App's installation token is reused until it expires.
 */
export class GitHubScmReader {
  private readonly etags = new BoundedMap<{ etag: string; data: unknown }>(3000);
  private readonly clients = new BoundedMap<GitHubClient>(200);
  private readonly installations = new BoundedMap<number>(1000);

  private authKey(auth: GitHubAuth): string {
    return 'token' in auth
      ? `token:${crypto.createHash('sha256').update(auth.token).digest('hex').slice(0, 24)}`
      : `app:${auth.appId}:${auth.installationId ?? ''}`;
  }

  private client(baseUrl: string, auth: GitHubAuth): GitHubClient {
    const key = `${baseUrl}|${this.authKey(auth)}`;
    let client = this.clients.get(key);
    if (!client) {
      client = createGitHubClient({ baseUrl, auth });
      this.clients.set(key, client);
    }
    return client;
  }

  /** An App without a configured installation acts as its installation on the repository's owner (org, else user). */
  private async resolveAuth(target: GitHubScmTarget, owner: string): Promise<GitHubAuth> {
    const auth = target.auth;
    if ('token' in auth || auth.installationId) return auth;
    const key = `${target.baseUrl}|${auth.appId}|${owner.toLowerCase()}`;
    let id = this.installations.get(key);
    if (id === undefined) {
      const asApp = this.client(target.baseUrl, auth).octokit;
      const signal = AbortSignal.timeout(TIMEOUT_MS);
      try {
        id = (await asApp.rest.apps.getOrgInstallation({ org: owner, request: { signal } })).data.id;
      } catch (e) {
        if ((e as { status?: number }).status !== 404) throw e;
        id = (await asApp.rest.apps.getUserInstallation({ username: owner, request: { signal } })).data.id;
      }
      this.installations.set(key, id);
    }
    return { ...auth, installationId: id };
  }

  /** One GET, conditional on the ETag of the last answer to it. */
  private async conditional<T>(key: string, call: (headers: Record<string, string>) => Promise<{ data: T; headers: Record<string, unknown> }>): Promise<T> {
    const known = this.etags.get(key) as { etag: string; data: T } | undefined;
    try {
      const res = await call(known ? { 'if-none-match': known.etag } : {});
      const etag = res.headers['etag'];
      if (typeof etag === 'string') this.etags.set(key, { etag, data: res.data });
      return res.data;
    } catch (e) {
      if (known && (e as { status?: number }).status === 304) return known.data;
      throw e;
    }
  }

  /**
   * The three parts, each its own request and settled on its own: a failing one (a 5xx on pull
   * requests, say) leaves the others. Resolving an App's installation comes first; its failure
   * rejects the whole read.
   */
  async read(target: GitHubScmTarget, project: string): Promise<ScmRead> {
    const [owner, repo] = project.split('/') as [string, string];
    const auth = await this.resolveAuth(target, owner);
    const { octokit } = this.client(target.baseUrl, auth);
    const keyOf = (what: string) => `${target.baseUrl}|${this.authKey(auth)}|${project}|${what}`;
    const request = () => ({ signal: AbortSignal.timeout(TIMEOUT_MS) });
    const [runs, changes, lastCommit] = await Promise.allSettled([
      this.conditional(keyOf('runs'), (headers) =>
        octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: LIMIT, exclude_pull_requests: true, headers, request: request() }),
      ).then((answer) =>
        answer.workflow_runs.slice(0, LIMIT).map((r): EntityScmRun => ({
          id: String(r.id),
          name: r.name ?? r.display_title,
          state: githubRunState(r.status, r.conclusion),
          detail: r.status === 'completed' ? (r.conclusion ?? 'completed') : (r.status ?? 'unknown'),
          branch: r.head_branch,
          createdAt: r.created_at,
          url: r.html_url,
        })),
      ),
      this.conditional(keyOf('pulls'), (headers) => octokit.rest.pulls.list({ owner, repo, state: 'open', per_page: LIMIT, headers, request: request() })).then(
        (pulls) =>
          pulls.slice(0, LIMIT).map((p): EntityScmChange => ({
            id: String(p.id),
            reference: `#${p.number}`,
            title: p.title,
            author: p.user?.login ?? 'unknown',
            draft: p.draft ?? false,
            createdAt: p.created_at,
            url: p.html_url,
          })),
      ),
      this.conditional(keyOf('commits'), (headers) => octokit.rest.repos.listCommits({ owner, repo, per_page: 1, headers, request: request() })).then(
        (commits): EntityScmCommit | null => {
          const last = commits[0];
          return last
            ? {
                sha: last.sha,
                title: firstLine(last.commit.message),
                message: last.commit.message,
                author: last.author && 'login' in last.author ? last.author.login : (last.commit.author?.name ?? 'unknown'),
                committedAt: last.commit.committer?.date ?? last.commit.author?.date ?? '',
                url: last.html_url,
              }
            : null;
        },
      ),
    ]);
    return {
      provider: 'github',
      host: target.host,
      project,
      projectUrl: `https://${target.host}/${project}`,
      runs,
      changes,
      lastCommit,
      fetchedAt: new Date().toISOString(),
    };
  }
}
