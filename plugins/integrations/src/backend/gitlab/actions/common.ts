import { confinePath, ReadError, type RunGitOptions } from '@atrium/source-readers';
import { createGitLabClient, type GitLabClient } from '../client.js';
import { GROUP_PATH_PATTERN, hasControlCharacter } from '../config.js';
import { checkProjectPath } from '../descriptor.js';
import type { GitLabHost } from '../module.js';

export { author, scratchDir } from '../../git.js';

export interface GitLabActionSettings {
  /** The configured hosts with their tokens (`integrations.gitlab[]`). */
  hosts(): GitLabHost[];
}

export interface ParsedRepoUrl {
  host: string;
  owner: string;
  repo: string;
  /** `owner/repo` */
  projectPath: string;
}

const GROUP = new RegExp(GROUP_PATH_PATTERN);

/**
 * Backstage's `repoUrl` for GitLab: `gitlab.com?owner=group/subgroup&repo=name` (what
 * RepoUrlPicker produces). The host only selects a configured `integrations.gitlab` entry; no
 * URL from the template is ever contacted.
 */
export function parseRepoUrl(repoUrl: unknown): ParsedRepoUrl {
  if (typeof repoUrl !== 'string' || repoUrl.length > 2000 || hasControlCharacter(repoUrl))
    throw new Error('repoUrl must be a string like gitlab.com?owner=group&repo=name');
  let url: URL;
  try {
    url = new URL(`https://${repoUrl}`);
  } catch {
    throw new Error(`repoUrl ${JSON.stringify(repoUrl)} is not host?owner=group&repo=name`);
  }
  const owner = url.searchParams.get('owner') ?? '';
  const repo = url.searchParams.get('repo') ?? '';
  if (url.pathname !== '/' || url.username || url.password) throw new Error(`repoUrl ${JSON.stringify(repoUrl)} is not host?owner=group&repo=name`);
  if (!GROUP.test(owner)) throw new Error(`repoUrl owner ${JSON.stringify(owner)} is not a GitLab group path`);
  const projectPath = `${owner}/${repo}`;
  const bad = checkProjectPath(projectPath);
  if (bad || repo.includes('/')) throw new Error(`repoUrl repo ${JSON.stringify(repo)}: ${bad ?? 'a project name has no /'}`);
  return { host: url.host, owner, repo, projectPath };
}

export function hostFor(settings: GitLabActionSettings, host: string): GitLabHost {
  const found = settings.hosts().find((h) => h.host.toLowerCase() === host.toLowerCase());
  if (!found) throw new Error(`No GitLab integration for host ${host}: add it to integrations.gitlab with a token`);
  return found;
}

export function clientFor(host: GitLabHost, token?: string): GitLabClient {
  return createGitLabClient({ apiBaseUrl: host.apiBaseUrl, token: token ?? host.token, maxRetryWaitSeconds: 30 });
}

/** The instance URL (`https://gitlab.example.com`) of a REST root. */
export function instanceUrl(host: GitLabHost): string {
  return host.apiBaseUrl.replace(/\/api\/v4$/, '');
}

/** GitLab names the clone URL; we push only to the configured instance, never where a response points elsewhere. */
export function checkCloneUrl(host: GitLabHost, cloneUrl: unknown): string {
  const base = new URL(instanceUrl(host));
  let u: URL;
  try {
    u = new URL(String(cloneUrl));
  } catch {
    throw new Error(`GitLab returned an invalid http_url_to_repo ${JSON.stringify(cloneUrl)}`);
  }
  if (u.origin !== base.origin || u.username || u.password)
    throw new Error(`GitLab returned http_url_to_repo ${u.origin} outside the configured instance ${base.origin}; refused`);
  return u.toString();
}

/** git options that authenticate as GitLab expects over HTTP (any user name, the token as password). */
export function gitAuth(token: string, signal: AbortSignal, extra: RunGitOptions = {}): RunGitOptions {
  return {
    ...extra,
    signal,
    timeoutMs: 120_000,
    config: {
      'http.extraHeader': `Authorization: Basic ${Buffer.from(`oauth2:${token}`).toString('base64')}`,
      'http.followRedirects': 'false',
      'commit.gpgSign': 'false',
      'core.autocrlf': 'false',
      ...(extra.config ?? {}),
    },
  };
}

/** A folder inside the task workspace (`sourcePath`), refusing anything that leaves it. */
export async function inWorkspace(workspace: string, rel: string | undefined, field: string): Promise<string> {
  try {
    return await confinePath(workspace, rel ?? '.');
  } catch (e) {
    if (e instanceof ReadError) throw new Error(`${field}: ${e.message}`);
    throw e;
  }
}
