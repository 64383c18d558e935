import crypto from 'node:crypto';
import type { EntityScmChange, EntityScmCommit, EntityScmRun, ScmRunState } from '../../common/index.js';
import { createGitLabClient, type GitLabClient } from '../gitlab/client.js';
import { BoundedMap } from './cache.js';
import type { ScmRead } from './types.js';

/** A GitLab host with the token to read it. */
export interface GitLabScmTarget {
  host: string;
  apiBaseUrl: string;
  token: string;
}

const LIMIT = 5;

/** A pipeline status in the card's words. */
export function gitlabPipelineState(status: string): ScmRunState {
  switch (status) {
    case 'success':
      return 'success';
    case 'failed':
      return 'failure';
    case 'canceled':
    case 'canceling':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    case 'running':
      return 'running';
    case 'created':
    case 'waiting_for_resource':
    case 'waiting_for_callback':
    case 'preparing':
    case 'pending':
    case 'scheduled':
      return 'queued';
    default:
      return 'other';
  }
}

interface PipelineLike {
  id: number;
  iid: number;
  status: string;
  ref: string;
  created_at: string;
  web_url: string;
  name?: string | null;
}
interface MergeRequestLike {
  id: number;
  iid: number;
  title: string;
  draft?: boolean;
  work_in_progress?: boolean;
  created_at: string;
  web_url: string;
  author?: { username?: string; name?: string } | null;
}
interface CommitLike {
  id: string;
  title: string;
  message: string;
  author_name: string;
  committed_date?: string;
  created_at: string;
  web_url: string;
}

/**
 * Reads a project's latest pipelines, open merge requests and the default branch's last commit
 * through `@gitbeaker/rest` (our client: rate-limit headers read, a short `Retry-After` waited
 * out, a longer one an error at once, no redirects followed).
 */
export class GitLabScmReader {
  private readonly clients = new BoundedMap<GitLabClient>(200);

  private client(target: GitLabScmTarget): GitLabClient {
    const key = `${target.apiBaseUrl}|${crypto.createHash('sha256').update(target.token).digest('hex').slice(0, 24)}`;
    let client = this.clients.get(key);
    if (!client) {
      client = createGitLabClient({ apiBaseUrl: target.apiBaseUrl, token: target.token, maxRetryWaitSeconds: 2, timeoutMs: 10_000 });
      this.clients.set(key, client);
    }
    return client;
  }

  /** The three parts, each its own request and settled on its own: a failing one leaves the others. */
  async read(target: GitLabScmTarget, project: string): Promise<ScmRead> {
    const { api } = this.client(target);
    const [runs, changes, lastCommit] = await Promise.allSettled([
      (api.Pipelines.all(project, { perPage: LIMIT, maxPages: 1 }) as unknown as Promise<PipelineLike[]>).then((pipelines) =>
        pipelines.slice(0, LIMIT).map((p): EntityScmRun => ({
          id: String(p.id),
          name: p.name || `Pipeline #${p.iid}`,
          state: gitlabPipelineState(p.status),
          detail: p.status,
          branch: p.ref,
          createdAt: p.created_at,
          url: p.web_url,
        })),
      ),
      (api.MergeRequests.all({ projectId: project, state: 'opened', perPage: LIMIT, maxPages: 1 }) as unknown as Promise<MergeRequestLike[]>).then(
        (mergeRequests) =>
          mergeRequests.slice(0, LIMIT).map((m): EntityScmChange => ({
            id: String(m.id),
            reference: `!${m.iid}`,
            title: m.title,
            author: m.author?.username ?? m.author?.name ?? 'unknown',
            draft: Boolean(m.draft ?? m.work_in_progress),
            createdAt: m.created_at,
            url: m.web_url,
          })),
      ),
      (api.Commits.all(project, { perPage: 1, maxPages: 1 }) as unknown as Promise<CommitLike[]>).then((commits): EntityScmCommit | null => {
        const last = commits[0];
        return last
          ? {
              sha: last.id,
              title: last.title,
              message: last.message,
              author: last.author_name,
              committedAt: last.committed_date ?? last.created_at,
              url: last.web_url,
            }
          : null;
      }),
    ]);
    const web = target.apiBaseUrl.replace(/\/api\/v4\/?$/, '');
    return { provider: 'gitlab', host: target.host, project, projectUrl: `${web}/${project}`, runs, changes, lastCommit, fetchedAt: new Date().toISOString() };
  }
}
