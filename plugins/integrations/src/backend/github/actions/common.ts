import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { ActionContext, TemplateAction } from '@atrium/plugin-scaffolder/backend';
import { GitCommandError, validateGitRef, type RunGitOptions } from '@atrium/source-readers';
import { githubApiBaseUrl, type IntegrationsConfig } from '../../config.js';
import type { IntegrationCredentials, IntegrationStore } from '../../store.js';
import { author, scratchDir } from '../../git.js';
import { inWorkspace } from '../../gitlab/actions/common.js';
import { hasControlCharacter } from '../../gitlab/config.js';
import { createGitHubClient } from '../client.js';
import { checkOwner, checkRepoName, checkRepoPath } from '../names.js';

export { author, inWorkspace, scratchDir };

/** A GitHub host the actions may act on, with its credentials. */
export interface GitHubHost {
  host: string;
  apiBaseUrl: string;
  token?: string;
  /** GitHub Apps (used when there is no token): the first installed on the repository's owner acts. */
  apps: Array<{ appId: number; privateKey: string; installationId?: number }>;
  /** Added by an admin on the Integrations page: its API root goes through the SSRF guard. */
  guarded: boolean;
}

export interface GitHubActionSettings {
  /** `integrations.github[]` with credentials, then admin-added GitHub integrations. */
  hosts(): Promise<GitHubHost[]>;
  /** The shared SSRF guard (throws an InputError naming the reason for a refused destination). */
  assertOutbound(url: string): Promise<void>;
}

/** The hosts of the config and of the store, in that order (the config wins for a host in both). */
export async function githubHosts(config: IntegrationsConfig, store: Pick<IntegrationStore, 'list'>): Promise<GitHubHost[]> {
  const hosts: GitHubHost[] = config.github
    .filter((g) => g.token || g.apps?.length)
    .map((g) => ({
      host: g.host,
      apiBaseUrl: githubApiBaseUrl(g),
      ...(g.token ? { token: g.token } : {}),
      apps: (g.apps ?? []).map((a) => ({ appId: a.appId, privateKey: a.privateKey, ...(a.installationId ? { installationId: a.installationId } : {}) })),
      guarded: false,
    }));
  for (const i of await store.list('github')) {
    let creds: IntegrationCredentials;
    try {
      creds = i.credentials();
    } catch {
      continue; // undecryptable: that integration cannot act
    }
    hosts.push({
      host: i.host,
      apiBaseUrl: i.apiBaseUrl,
      ...(creds.token ? { token: creds.token } : {}),
      apps:
        creds.appId && creds.privateKey
          ? [{ appId: creds.appId, privateKey: creds.privateKey, ...(creds.installationId ? { installationId: creds.installationId } : {}) }]
          : [],
      guarded: true,
    });
  }
  return hosts;
}

export interface ParsedRepoUrl {
  host: string;
  owner: string;
  repo: string;
}

const FORMAT = 'github.com?owner=org&repo=name';

/**
 * Backstage's `repoUrl` (`github.com?owner=org&repo=name`, what RepoUrlPicker builds). The host
 * only selects a configured GitHub integration; the template never names a URL that is contacted.
 */
export function parseRepoUrl(repoUrl: unknown): ParsedRepoUrl {
  if (typeof repoUrl !== 'string' || repoUrl.length > 2000 || hasControlCharacter(repoUrl)) throw new Error(`repoUrl must be a string like ${FORMAT}`);
  let url: URL;
  try {
    url = new URL(`https://${repoUrl}`);
  } catch {
    throw new Error(`repoUrl ${JSON.stringify(repoUrl)} is not host?owner=org&repo=name (like ${FORMAT})`);
  }
  if (url.pathname !== '/' || url.username || url.password || url.hash)
    throw new Error(`repoUrl ${JSON.stringify(repoUrl)} is not host?owner=org&repo=name (like ${FORMAT})`);
  const owner = url.searchParams.get('owner');
  const repo = url.searchParams.get('repo');
  if (!owner) throw new Error(`repoUrl ${JSON.stringify(repoUrl)} has no owner: it must be like ${FORMAT}`);
  if (!repo) throw new Error(`repoUrl ${JSON.stringify(repoUrl)} has no repo: it must be like ${FORMAT}`);
  if (checkOwner(owner)) throw new Error(`repoUrl owner ${JSON.stringify(owner)} is not a GitHub user or organisation name`);
  if (checkRepoName(repo)) throw new Error(`repoUrl repo ${JSON.stringify(repo)} is not a GitHub repository name`);
  return { host: url.host.toLowerCase(), owner, repo };
}

export async function hostFor(settings: GitHubActionSettings, host: string): Promise<GitHubHost> {
  const found = (await settings.hosts()).find((h) => h.host.toLowerCase() === host);
  if (!found)
    throw new Error(
      `No GitHub integration for host ${host} (from repoUrl): add it to integrations.github with a token or a GitHub App, or on the Integrations page`,
    );
  return found;
}

/** Where git reaches the repositories of a host: github.com, or a GitHub Enterprise Server's own origin. */
export function gitBaseOf(host: GitHubHost): string {
  const api = new URL(host.apiBaseUrl);
  if (/\/api\/v3\/?$/.test(api.pathname)) return `${api.origin}${api.pathname.replace(/\/api\/v3\/?$/, '')}`;
  if (api.hostname === 'api.github.com') return 'https://github.com';
  return `https://${host.host}`;
}

/** A client for one repository's owner: Octokit, and the token git uses over HTTPS. */
export interface Connection {
  host: GitHubHost;
  octokit: Octokit;
  gitToken(): Promise<string>;
  /** `<git base>/<owner>/<repo>.git` */
  gitUrl: string;
}

/** The API's message for an Octokit error, with its validation errors. */
export function apiMessage(e: unknown): string {
  const err = e as { status?: number; message?: string; response?: { data?: { message?: string; errors?: unknown[] } } };
  if (!err?.status) return err?.message ?? String(e);
  const details = (err.response?.data?.errors ?? [])
    .map((x) =>
      typeof x === 'string'
        ? x
        : ((x as { message?: string; field?: string; code?: string }).message ??
          `${(x as { field?: string }).field ?? ''} ${(x as { code?: string }).code ?? ''}`.trim()),
    )
    .filter(Boolean);
  const what = err.status === 401 ? 'GitHub refused the credentials (401)' : `GitHub answered ${err.status}`;
  return `${what}: ${err.response?.data?.message ?? err.message ?? ''}${details.length ? ` (${details.join('; ')})` : ''}`;
}

export const statusOf = (e: unknown): number | undefined => (e as { status?: number })?.status;

/** Connects as the host's token (or `token` from the template), else as its GitHub App's installation on the owner. */
export async function connect(settings: GitHubActionSettings, target: ParsedRepoUrl, token?: string): Promise<Connection> {
  const host = await hostFor(settings, target.host);
  if (host.guarded) await settings.assertOutbound(host.apiBaseUrl);
  const baseUrl = host.apiBaseUrl;
  const gitUrl = `${gitBaseOf(host)}/${target.owner}/${target.repo}.git`;
  const useToken = token ?? host.token;
  if (useToken) return { host, octokit: createGitHubClient({ baseUrl, auth: { token: useToken } }).octokit, gitToken: async () => useToken, gitUrl };
  const failures: string[] = [];
  for (const app of host.apps) {
    let installationId = app.installationId;
    if (!installationId) {
      const asApp = createGitHubClient({ baseUrl, auth: { appId: app.appId, privateKey: app.privateKey } }).octokit;
      try {
        installationId = (await asApp.rest.apps.getOrgInstallation({ org: target.owner })).data.id;
      } catch (e) {
        if (statusOf(e) !== 404) {
          failures.push(`app ${app.appId}: ${apiMessage(e)}`);
          continue;
        }
        try {
          installationId = (await asApp.rest.apps.getUserInstallation({ username: target.owner })).data.id;
        } catch (e2) {
          failures.push(`app ${app.appId}: ${statusOf(e2) === 404 ? `not installed on ${target.owner}` : apiMessage(e2)}`);
          continue;
        }
      }
    }
    const octokit = createGitHubClient({ baseUrl, auth: { appId: app.appId, privateKey: app.privateKey, installationId } }).octokit;
    const gitToken = async () => ((await octokit.auth({ type: 'installation' })) as { token: string }).token;
    return { host, octokit, gitToken, gitUrl };
  }
  throw new Error(`No credentials of the GitHub integration ${host.host} can act on ${target.owner}${failures.length ? ` (${failures.join('; ')})` : ''}`);
}

/** git options that authenticate as GitHub expects over HTTPS (`x-access-token`, the token as the password). */
export function gitAuth(token: string, signal: AbortSignal, extra: RunGitOptions = {}): RunGitOptions {
  return {
    ...extra,
    signal,
    timeoutMs: 120_000,
    config: {
      'http.extraHeader': `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
      'http.followRedirects': 'false',
      'commit.gpgSign': 'false',
      'core.autocrlf': 'false',
      ...(extra.config ?? {}),
    },
  };
}

/** A git failure as a sentence (git's own reason, never the command line with its header). */
export function gitMessage(e: unknown): string {
  return e instanceof GitCommandError ? e.reason || e.message : (e as Error).message;
}

/** A branch or tag name from an input, refused with the input's name when git would not take it. */
export function checkRef(value: string, field: string): string {
  try {
    validateGitRef(value);
  } catch (e) {
    throw new Error(`${field}: ${(e as Error).message}`);
  }
  return value;
}

/** A path inside the repository (`targetPath`): empty for the root, else plain segments. */
export function repoPath(value: string | undefined, field: string): string {
  const trimmed = (value ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || trimmed === '.') return '';
  const bad = checkRepoPath(trimmed);
  if (bad) throw new Error(`${field}: ${bad} (it must stay inside the repository)`);
  return trimmed;
}

/** Regular files under a folder (relative paths), without `.git` and without following symlinks. */
export async function listFiles(root: string, rel = ''): Promise<{ files: string[]; skipped: string[] }> {
  const files: string[] = [];
  const skipped: string[] = [];
  for (const entry of await fs.readdir(path.join(root, rel), { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      const sub = await listFiles(root, p);
      files.push(...sub.files);
      skipped.push(...sub.skipped);
    } else if (entry.isFile()) files.push(p);
    else skipped.push(p);
  }
  return { files, skipped };
}

/** Logs the inputs a step gave that this action does not know (Backstage options Atrium does not implement). */
export function warnUnknownInputs(ctx: ActionContext<object>, action: { id: string; schema?: { input?: Record<string, unknown> } }): void {
  const known = Object.keys((action.schema?.input?.['properties'] as Record<string, unknown> | undefined) ?? {});
  const unknown = Object.keys(ctx.input).filter((k) => !known.includes(k));
  if (unknown.length) ctx.logger.warn(`${action.id}: input ${unknown.join(', ')} is not supported by Atrium and was ignored`);
}

export type GitHubAction<I> = TemplateAction<I>;

export const repoUrlSchema = { type: 'string', minLength: 1, maxLength: 2000, description: `host?owner=org&repo=name (${FORMAT}), as RepoUrlPicker builds it` };
export const tokenSchema = { type: 'string', minLength: 1, description: 'A token to use instead of the integration’s (e.g. the user’s, from secrets)' };
export const branchSchema = { type: 'string', minLength: 1, maxLength: 250 };
