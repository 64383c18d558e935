import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import nodePath from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A local stand-in for GitHub's REST API (api.github.com, or a GitHub Enterprise Server under
 * `/api/v3`), serving the operations repository discovery and org sync use, in GitHub's shapes:
 * repository lists paginated with `Link` headers, strong ETags and `304 Not Modified` for
 * `If-None-Match`, the `x-ratelimit-*` headers on every answer (a conditional request answered
 * with 304 does not count, as on GitHub), a primary limit that runs out, and secondary limits
 * (`403` or `429` with `retry-after`) on demand. Every answer is recorded in `served` so a test
 * can check it against GitHub's OpenAPI description (see githubApi.test.ts).
 *
 * It also serves the writes the scaffolder's GitHub actions make: repositories created in an org
 * or for the token's user, topics, branch protection, pull requests, workflow dispatches and
 * webhooks. Each repository gets a real bare git repository on first use, served over git smart
 * HTTP by `git http-backend` at `<url>/<owner>/<repo>.git` (the web host's layout, as on a GitHub
 * Enterprise Server whose API is at `<url>/api/v3`), authenticated as GitHub does (basic auth,
 * any user name, a token as the password). A push to the default branch updates the files the
 * read endpoints serve; the first branch pushed to an empty repository becomes its default.
 */
export interface FakeGitHubRepoInput {
  /** The repository id (default: a new one), e.g. to match a recorded webhook payload. */
  id?: number;
  owner: string;
  name: string;
  visibility?: 'public' | 'private' | 'internal';
  archived?: boolean;
  topics?: string[];
  language?: string | null;
  description?: string | null;
  defaultBranch?: string;
  /** Files on the default branch, by path without a leading slash. */
  files?: Record<string, string>;
  /** Team slugs with admin permission on the repository. */
  adminTeams?: string[];
}

export interface FakeGitHubTeamInput {
  org: string;
  slug: string;
  name?: string;
  description?: string | null;
  /** Slug of the parent team. */
  parent?: string;
  members: string[];
}

/** A GitHub Actions workflow run (`GET /repos/{owner}/{repo}/actions/runs`). */
export interface FakeGitHubWorkflowRunInput {
  /** Workflow name (default `CI`). */
  workflow?: string;
  /** Default: the repository's default branch. */
  branch?: string;
  event?: string;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out' | 'neutral' | 'action_required' | null;
  actor?: string;
  /** The run's display title (the head commit's message). */
  title?: string;
}

/** An open pull request (`GET /repos/{owner}/{repo}/pulls`). */
export interface FakeGitHubPullRequestInput {
  title: string;
  author: string;
  /** The head branch (default `change-<number>`). */
  head?: string;
  draft?: boolean;
  body?: string | null;
}

export interface ServedResponse {
  method: string;
  /** The OpenAPI path template of the operation (`/orgs/{org}/repos`). */
  operation: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What a test can check after the scaffolder's GitHub actions ran. */
export interface FakeGitHubRepoState {
  owner: string;
  name: string;
  defaultBranch: string;
  visibility: 'public' | 'private' | 'internal';
  description: string | null;
  homepage: string | null;
  topics: string[];
  /** Repository settings as sent at creation (`has_wiki`, `delete_branch_on_merge`, ...). */
  settings: Record<string, boolean>;
  /** Files on the default branch. */
  files: Record<string, string>;
  pulls: Array<{ number: number; title: string; body: string | null; head: string; base: string; draft: boolean }>;
  hooks: Array<{ id: number; url: string; contentType: string; secret?: string; insecureSsl: string; events: string[]; active: boolean }>;
  dispatches: Array<{ workflowId: string; ref: string; inputs: Record<string, unknown> }>;
  /** Branch protection bodies as sent, by branch. */
  protection: Record<string, Record<string, unknown>>;
}

export interface FakeGitHubApi {
  /** API root, like https://api.github.com (a GHES-style `${url}/api/v3` works too). */
  url: string;
  /** A token and who it acts as; `scopes` is sent in `x-oauth-scopes` (classic tokens). */
  addToken(token: string, options: { login: string; scopes?: string[] }): void;
  revokeToken(token: string): void;
  /**
   * A GitHub App: requests signed as it (an RS256 JWT with `iss` = its id, checked with
   * `publicKey`) may read `GET /app` and `GET /orgs/{org}/installation` and create installation
   * tokens (`POST /app/installations/{id}/access_tokens`), which then act as `<slug>[bot]`.
   */
  addApp(app: { appId: number; slug: string; publicKey: string; installations: Array<{ id: number; account: string }> }): void;
  addRepo(repo: FakeGitHubRepoInput): void;
  /** An organisation without repositories yet (one with repositories or teams exists anyway). */
  addOrg(login: string): void;
  /** A repository's state, for assertions (throws when there is none). */
  repoState(owner: string, name: string): FakeGitHubRepoState;
  /** The files of any branch, read from the repository's git data. */
  branchFiles(owner: string, name: string, branch: string): Promise<Record<string, string>>;
  /** Sets (or with null removes) a file on the default branch: a push. */
  pushFile(owner: string, name: string, path: string, content: string | null): void;
  renameRepo(owner: string, name: string, newName: string): void;
  archiveRepo(owner: string, name: string): void;
  deleteRepo(owner: string, name: string): void;
  addTeam(team: FakeGitHubTeamInput): void;
  setTeamMembers(org: string, slug: string, members: string[]): void;
  /** A workflow run of the repository (listed newest first); returns its id. */
  addWorkflowRun(owner: string, name: string, run: FakeGitHubWorkflowRunInput): number;
  /** Opens a pull request against the default branch; returns its number. */
  openPullRequest(owner: string, name: string, pr: FakeGitHubPullRequestInput): number;
  /** A commit on the default branch (no file change); returns its sha. */
  commit(owner: string, name: string, commit: { message: string; author: string }): string;
  /**
   * The next `count` authenticated requests answer with a server error (default 500); with
   * `operation` (an OpenAPI path such as `/repos/{owner}/{repo}/pulls`) only requests of that
   * operation fail, and the others are served as usual.
   */
  failServerNext(options?: { status?: 500 | 502 | 503; count?: number; operation?: string }): void;
  /** The primary limit per token: `limit` calls per window of `windowSeconds`. */
  setRateLimit(options: { limit: number; remaining?: number; windowSeconds?: number }): void;
  /** The next `count` requests get a secondary limit answer. */
  failNext(options: { status: 403 | 429; retryAfterSeconds: number; count?: number }): void;
  /** Every answer, oldest first. */
  served: ServedResponse[];
  /** Requests that counted against the primary limit. */
  counted(): number;
  repoJson(owner: string, name: string): Record<string, unknown>;
  stop(): Promise<void>;
}

interface Repo {
  id: number;
  owner: string;
  name: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  topics: string[];
  language: string | null;
  description: string | null;
  defaultBranch: string;
  files: Map<string, string>;
  adminTeams: string[];
  createdAt: string;
  pushedAt: string;
  commit: string;
  /** The last commit's message and author (login). */
  lastCommit?: { message: string; author: string };
  runs?: Array<
    Required<Omit<FakeGitHubWorkflowRunInput, 'conclusion'>> & { conclusion: string | null; id: number; number: number; sha: string; createdAt: string }
  >;
  /** Open pull requests; `base` is the default branch when absent. */
  pulls?: Array<{
    id: number;
    number: number;
    title: string;
    author: string;
    head: string;
    base?: string;
    draft: boolean;
    body: string | null;
    sha: string;
    createdAt: string;
  }>;
  homepage?: string | null;
  /** Repository settings sent at creation (`has_wiki`, `delete_branch_on_merge`, ...). */
  settings?: Record<string, boolean>;
  /** The bare repository, once git or a write needed it. */
  gitDir?: string;
  /** `files` changed (pushFile) since the last commit to `gitDir`. */
  dirty?: boolean;
  hooks?: Array<FakeGitHubRepoState['hooks'][number] & { createdAt: string }>;
  dispatches?: FakeGitHubRepoState['dispatches'];
  protection?: Map<string, Record<string, unknown>>;
}

interface Team {
  id: number;
  org: string;
  slug: string;
  name: string;
  description: string | null;
  parent?: string;
  members: string[];
}

const DOCS = 'https://docs.github.com/rest';
const sha1 = (s: string) => crypto.createHash('sha1').update(s).digest('hex');
const INVALID_JSON = Symbol('invalid JSON');
/** Repository settings the create endpoints take and the fake keeps. */
const REPO_SETTINGS = [
  'has_issues',
  'has_projects',
  'has_wiki',
  'has_discussions',
  'has_downloads',
  'is_template',
  'allow_merge_commit',
  'allow_squash_merge',
  'allow_rebase_merge',
  'allow_auto_merge',
  'delete_branch_on_merge',
];
const readBody = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export async function startFakeGitHubApi(options: { port?: number } = {}): Promise<FakeGitHubApi> {
  const tokens = new Map<string, { login: string; scopes: string[] }>();
  const apps = new Map<number, { appId: number; slug: string; publicKey: string; installations: Array<{ id: number; account: string }> }>();
  const repos = new Map<string, Repo>(); // key: owner/name (lower case)
  const teams = new Map<string, Team>(); // key: org/slug
  const ids = new Map<string, number>();
  const served: ServedResponse[] = [];
  let nextId = 1000;
  let base = '';
  let limit = 5000;
  let windowSeconds = 3600;
  const budgets = new Map<string, { remaining: number; reset: number }>();
  let failures: { status: 403 | 429; retryAfterSeconds: number; count: number } | undefined;
  let serverErrors: { status: number; count: number; operation?: string } = { status: 500, count: 0 };
  let countedCalls = 0;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const idOf = (key: string) => {
    if (!ids.has(key)) ids.set(key, nextId++);
    return ids.get(key)!;
  };

  const userJson = (login: string, type: 'User' | 'Organization' = 'User') => {
    const u = `${base}/users/${login}`;
    return {
      login,
      id: idOf(`user:${login}`),
      node_id: Buffer.from(`04:User${idOf(`user:${login}`)}`).toString('base64'),
      avatar_url: `https://avatars.githubusercontent.com/u/${idOf(`user:${login}`)}?v=4`,
      gravatar_id: '',
      url: u,
      html_url: `https://github.com/${login}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type,
      site_admin: false,
    };
  };

  const privateUserJson = (login: string) => ({
    ...userJson(login),
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: [...repos.values()].filter((r) => r.owner === login).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
  });

  const repoJson = (r: Repo) => {
    const full = `${r.owner}/${r.name}`;
    const u = `${base}/repos/${full}`;
    const isOrg = !tokens.size || ![...tokens.values()].some((t) => t.login === r.owner);
    return {
      id: r.id,
      node_id: Buffer.from(`010:Repository${r.id}`).toString('base64'),
      name: r.name,
      full_name: full,
      private: r.visibility !== 'public',
      owner: userJson(r.owner, isOrg ? 'Organization' : 'User'),
      html_url: `https://github.com/${full}`,
      description: r.description,
      fork: false,
      url: u,
      archive_url: `${u}/{archive_format}{/ref}`,
      assignees_url: `${u}/assignees{/user}`,
      blobs_url: `${u}/git/blobs{/sha}`,
      branches_url: `${u}/branches{/branch}`,
      collaborators_url: `${u}/collaborators{/collaborator}`,
      comments_url: `${u}/comments{/number}`,
      commits_url: `${u}/commits{/sha}`,
      compare_url: `${u}/compare/{base}...{head}`,
      contents_url: `${u}/contents/{+path}`,
      contributors_url: `${u}/contributors`,
      deployments_url: `${u}/deployments`,
      downloads_url: `${u}/downloads`,
      events_url: `${u}/events`,
      forks_url: `${u}/forks`,
      git_commits_url: `${u}/git/commits{/sha}`,
      git_refs_url: `${u}/git/refs{/sha}`,
      git_tags_url: `${u}/git/tags{/sha}`,
      git_url: `git://github.com/${full}.git`,
      issue_comment_url: `${u}/issues/comments{/number}`,
      issue_events_url: `${u}/issues/events{/number}`,
      issues_url: `${u}/issues{/number}`,
      keys_url: `${u}/keys{/key_id}`,
      labels_url: `${u}/labels{/name}`,
      languages_url: `${u}/languages`,
      merges_url: `${u}/merges`,
      milestones_url: `${u}/milestones{/number}`,
      notifications_url: `${u}/notifications{?since,all,participating}`,
      pulls_url: `${u}/pulls{/number}`,
      releases_url: `${u}/releases{/id}`,
      ssh_url: `git@github.com:${full}.git`,
      stargazers_url: `${u}/stargazers`,
      statuses_url: `${u}/statuses/{sha}`,
      subscribers_url: `${u}/subscribers`,
      subscription_url: `${u}/subscription`,
      tags_url: `${u}/tags`,
      teams_url: `${u}/teams`,
      trees_url: `${u}/git/trees{/sha}`,
      clone_url: `https://github.com/${full}.git`,
      hooks_url: `${u}/hooks`,
      homepage: null,
      language: r.language,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      size: 100,
      default_branch: r.defaultBranch,
      open_issues_count: 0,
      is_template: false,
      topics: r.topics,
      has_issues: true,
      has_projects: true,
      has_wiki: false,
      has_pages: false,
      has_downloads: true,
      has_discussions: false,
      archived: r.archived,
      disabled: false,
      visibility: r.visibility,
      pushed_at: r.pushedAt,
      created_at: r.createdAt,
      updated_at: r.pushedAt,
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
      forks: 0,
      open_issues: 0,
      watchers: 0,
    };
  };

  const teamJson = (t: Team): Record<string, unknown> => {
    const u = `${base}/organizations/${idOf(`org:${t.org}`)}/team/${t.id}`;
    const parent = t.parent ? teams.get(`${t.org}/${t.parent}`) : undefined;
    return {
      id: t.id,
      node_id: Buffer.from(`04:Team${t.id}`).toString('base64'),
      url: u,
      html_url: `https://github.com/orgs/${t.org}/teams/${t.slug}`,
      name: t.name,
      slug: t.slug,
      description: t.description,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${u}/members{/member}`,
      repositories_url: `${u}/repos`,
      type: 'organization',
      parent: parent ? { ...teamJson({ ...parent, parent: undefined }), parent: undefined } : null,
    };
  };

  const fileJson = (r: Repo, path: string, content: string) => {
    const sha = sha1(`blob ${content.length}\0${content}`);
    const u = `${base}/repos/${r.owner}/${r.name}/contents/${path}?ref=${r.defaultBranch}`;
    const html = `https://github.com/${r.owner}/${r.name}/blob/${r.defaultBranch}/${path}`;
    const git = `${base}/repos/${r.owner}/${r.name}/git/blobs/${sha}`;
    return {
      type: 'file',
      encoding: 'base64',
      size: Buffer.byteLength(content),
      name: path.split('/').pop()!,
      path,
      content: Buffer.from(content)
        .toString('base64')
        .replace(/(.{60})/g, '$1\n'),
      sha,
      url: u,
      git_url: git,
      html_url: html,
      download_url: `https://raw.githubusercontent.com/${r.owner}/${r.name}/${r.defaultBranch}/${path}`,
      _links: { self: u, git, html },
    };
  };

  const gitUser = (login: string, date: string) => ({ name: login, email: `${login}@users.noreply.github.com`, date });

  /** A workflow run (`workflow-run`), with its head commit and repository. */
  const runJson = (r: Repo, run: NonNullable<Repo['runs']>[number]) => {
    const full = `${r.owner}/${r.name}`;
    const u = `${base}/repos/${full}/actions/runs/${run.id}`;
    const workflowId = idOf(`workflow:${full}:${run.workflow}`);
    const file = run.workflow.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const { date: _d, ...who } = gitUser(run.actor, run.createdAt);
    const repo = repoJson(r);
    return {
      id: run.id,
      name: run.workflow,
      node_id: Buffer.from(`WFR_${run.id}`).toString('base64'),
      check_suite_id: run.id + 1,
      check_suite_node_id: Buffer.from(`CS_${run.id + 1}`).toString('base64'),
      head_branch: run.branch,
      head_sha: run.sha,
      path: `.github/workflows/${file}.yml`,
      display_title: run.title,
      run_number: run.number,
      run_attempt: 1,
      referenced_workflows: [],
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: workflowId,
      url: u,
      html_url: `https://github.com/${full}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: run.createdAt,
      updated_at: run.createdAt,
      actor: userJson(run.actor),
      triggering_actor: userJson(run.actor),
      run_started_at: run.createdAt,
      jobs_url: `${u}/jobs`,
      logs_url: `${u}/logs`,
      check_suite_url: `${base}/repos/${full}/check-suites/${run.id + 1}`,
      artifacts_url: `${u}/artifacts`,
      cancel_url: `${u}/cancel`,
      rerun_url: `${u}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${base}/repos/${full}/actions/workflows/${workflowId}`,
      head_commit: { id: run.sha, tree_id: sha1(`tree:${run.sha}`), message: run.title, timestamp: run.createdAt, author: who, committer: who },
      repository: repo,
      head_repository: repo,
    };
  };

  /** A pull request as listed (`pull-request-simple`). */
  const pullJson = (r: Repo, p: NonNullable<Repo['pulls']>[number]) => {
    const full = `${r.owner}/${r.name}`;
    const u = `${base}/repos/${full}/pulls/${p.number}`;
    const issue = `${base}/repos/${full}/issues/${p.number}`;
    const html = `https://github.com/${full}/pull/${p.number}`;
    const repo = { ...repoJson(r), license: null, mirror_url: null, svn_url: `https://github.com/${full}` };
    const statuses = `${base}/repos/${full}/statuses/${p.sha}`;
    return {
      url: u,
      id: p.id,
      node_id: Buffer.from(`PR_${p.id}`).toString('base64'),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${u}/commits`,
      review_comments_url: `${u}/comments`,
      review_comment_url: `${base}/repos/${full}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: statuses,
      number: p.number,
      state: 'open',
      locked: false,
      title: p.title,
      user: userJson(p.author),
      body: p.body,
      labels: [],
      milestone: null,
      active_lock_reason: null,
      created_at: p.createdAt,
      updated_at: p.createdAt,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: { label: `${r.owner}:${p.head}`, ref: p.head, repo, sha: p.sha, user: repo.owner },
      base: { label: `${r.owner}:${p.base ?? r.defaultBranch}`, ref: p.base ?? r.defaultBranch, repo, sha: r.commit, user: repo.owner },
      _links: {
        self: { href: u },
        html: { href: html },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${u}/comments` },
        review_comment: { href: `${base}/repos/${full}/pulls/comments{/number}` },
        commits: { href: `${u}/commits` },
        statuses: { href: statuses },
      },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: p.draft,
    };
  };

  /** The last commit of the default branch (`commit`). */
  const commitJson = (r: Repo) => {
    const full = `${r.owner}/${r.name}`;
    const u = `${base}/repos/${full}/commits/${r.commit}`;
    const last = r.lastCommit ?? { message: 'Initial commit', author: r.owner };
    const tree = sha1(`tree:${r.commit}`);
    return {
      url: u,
      sha: r.commit,
      node_id: Buffer.from(`C_${r.commit}`).toString('base64'),
      html_url: `https://github.com/${full}/commit/${r.commit}`,
      comments_url: `${u}/comments`,
      commit: {
        url: `${base}/repos/${full}/git/commits/${r.commit}`,
        author: gitUser(last.author, r.pushedAt),
        committer: gitUser(last.author, r.pushedAt),
        message: last.message,
        comment_count: 0,
        tree: { sha: tree, url: `${base}/repos/${full}/git/trees/${tree}` },
        verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
      },
      author: userJson(last.author),
      committer: userJson(last.author),
      parents: [],
    };
  };

  /** The OpenAPI path template a request path belongs to (the path itself when none). */
  const OPERATIONS: Array<[RegExp, string]> = [
    [/^\/user$/, '/user'],
    [/^\/app$/, '/app'],
    [/^\/orgs\/[^/]+\/installation$/, '/orgs/{org}/installation'],
    [/^\/users\/[^/]+\/installation$/, '/users/{username}/installation'],
    [/^\/app\/installations\/\d+\/access_tokens$/, '/app/installations/{installation_id}/access_tokens'],
    [/^\/orgs\/[^/]+\/repos$/, '/orgs/{org}/repos'],
    [/^\/users\/[^/]+\/repos$/, '/users/{username}/repos'],
    [/^\/repos\/[^/]+\/[^/]+\/contents\/.+$/, '/repos/{owner}/{repo}/contents/{path}'],
    [/^\/repos\/[^/]+\/[^/]+\/git\/trees\/[^/]+$/, '/repos/{owner}/{repo}/git/trees/{tree_sha}'],
    [/^\/repos\/[^/]+\/[^/]+\/teams$/, '/repos/{owner}/{repo}/teams'],
    [/^\/orgs\/[^/]+\/teams$/, '/orgs/{org}/teams'],
    [/^\/orgs\/[^/]+\/teams\/[^/]+\/members$/, '/orgs/{org}/teams/{team_slug}/members'],
    [/^\/repos\/[^/]+\/[^/]+\/actions\/runs$/, '/repos/{owner}/{repo}/actions/runs'],
    [/^\/repos\/[^/]+\/[^/]+\/pulls$/, '/repos/{owner}/{repo}/pulls'],
    [/^\/repos\/[^/]+\/[^/]+\/commits$/, '/repos/{owner}/{repo}/commits'],
    [/^\/users\/[^/]+$/, '/users/{username}'],
    [/^\/repos\/[^/]+\/[^/]+$/, '/repos/{owner}/{repo}'],
    [/^\/user\/repos$/, '/user/repos'],
    [/^\/repos\/[^/]+\/[^/]+\/topics$/, '/repos/{owner}/{repo}/topics'],
    [/^\/repos\/[^/]+\/[^/]+\/branches\/.+\/protection$/, '/repos/{owner}/{repo}/branches/{branch}/protection'],
    [/^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/dispatches$/, '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches'],
    [/^\/repos\/[^/]+\/[^/]+\/hooks$/, '/repos/{owner}/{repo}/hooks'],
  ];
  const operationOf = (path: string) => OPERATIONS.find(([re]) => re.test(path))?.[1] ?? path;

  /** The app whose key signed this JWT (RS256, `iss` its id, not expired), if any. */
  const appOf = (jwt: string) => {
    const [h, p, sig] = jwt.split('.') as [string, string, string];
    try {
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss?: number | string; exp?: number };
      const found = apps.get(Number(payload.iss));
      if (!found || (payload.exp ?? 0) < Date.now() / 1000 - 60) return undefined;
      return crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), found.publicKey, Buffer.from(sig, 'base64url')) ? found : undefined;
    } catch {
      return undefined;
    }
  };
  const appJson = (a: { appId: number; slug: string; installations: unknown[] }) => ({
    id: a.appId,
    slug: a.slug,
    node_id: Buffer.from(`03:Integration${a.appId}`).toString('base64'),
    client_id: `Iv1.${sha1(String(a.appId)).slice(0, 16)}`,
    owner: userJson('acme', 'Organization'),
    name: a.slug,
    description: null,
    external_url: 'https://atrium.example.com',
    html_url: `https://github.com/apps/${a.slug}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    permissions: { contents: 'read', metadata: 'read', members: 'read' },
    events: ['push', 'repository', 'membership', 'team', 'organization'],
    installations_count: a.installations.length,
  });
  const installationJson = (a: { appId: number; slug: string }, inst: { id: number; account: string }) => ({
    id: inst.id,
    account: userJson(inst.account, 'Organization'),
    repository_selection: 'all',
    access_tokens_url: `${base}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`,
    html_url: `https://github.com/organizations/${inst.account}/settings/installations/${inst.id}`,
    app_id: a.appId,
    app_slug: a.slug,
    target_id: idOf(`user:${inst.account}`),
    target_type: 'Organization',
    permissions: { contents: 'read', metadata: 'read', members: 'read' },
    events: ['push', 'repository'],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  });

  const findRepo = (owner: string, name: string) => repos.get(`${owner}/${name}`.toLowerCase());

  // ---- Writes (the scaffolder's GitHub actions) and git smart HTTP ----

  const orgs = new Set<string>();
  const isUserLogin = (login: string) => [...tokens.values()].some((t) => t.login.toLowerCase() === login.toLowerCase());
  /** An organisation: added, or the owner of repositories, teams or an app installation that is no token's user. */
  const orgExists = (login: string) => {
    const l = login.toLowerCase();
    if (isUserLogin(l)) return false;
    return (
      orgs.has(l) ||
      [...teams.values()].some((t) => t.org.toLowerCase() === l) ||
      [...repos.values()].some((r) => r.owner.toLowerCase() === l) ||
      [...apps.values()].some((a) => a.installations.some((i) => i.account.toLowerCase() === l))
    );
  };

  /** `GET /users/{username}` (`public-user`; an organisation answers with type Organization). */
  const publicUserJson = (login: string, type: 'User' | 'Organization') => ({
    ...userJson(login, type),
    name: login,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: null,
    public_repos: [...repos.values()].filter((r) => r.owner.toLowerCase() === login.toLowerCase() && r.visibility === 'public').length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  });

  /** A repository as `GET /repos/{owner}/{repo}` and the create endpoints answer (`full-repository`). */
  const fullRepoJson = (r: Repo) => ({
    ...repoJson(r),
    homepage: r.homepage ?? null,
    size: r.files.size === 0 ? 0 : 100,
    mirror_url: null,
    svn_url: `https://github.com/${r.owner}/${r.name}`,
    license: null,
    has_discussions: false,
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    ...(r.settings ?? {}),
    network_count: 0,
    subscribers_count: 0,
  });

  const hookJson = (r: Repo, h: NonNullable<Repo['hooks']>[number]) => {
    const u = `${base}/repos/${r.owner}/${r.name}/hooks/${h.id}`;
    return {
      type: 'Repository',
      id: h.id,
      name: 'web',
      active: h.active,
      events: h.events,
      config: { url: h.url, content_type: h.contentType, insecure_ssl: h.insecureSsl, ...(h.secret ? { secret: '********' } : {}) },
      updated_at: h.createdAt,
      created_at: h.createdAt,
      url: u,
      test_url: `${u}/test`,
      ping_url: `${u}/pings`,
      deliveries_url: `${u}/deliveries`,
      last_response: { code: null, status: 'unused', message: null },
    };
  };

  /** `PUT .../branches/{branch}/protection`'s answer (`protected-branch`) for the body sent. */
  const protectionJson = (r: Repo, branch: string, b: Record<string, unknown>) => {
    const u = `${base}/repos/${r.owner}/${r.name}/branches/${encodeURIComponent(branch)}/protection`;
    const checks = b['required_status_checks'] as { strict?: boolean; contexts?: string[] } | null;
    const reviews = b['required_pull_request_reviews'] as {
      dismiss_stale_reviews?: boolean;
      require_code_owner_reviews?: boolean;
      required_approving_review_count?: number;
      require_last_push_approval?: boolean;
    } | null;
    const on = (k: string) => ({ enabled: b[k] === true });
    return {
      url: u,
      ...(checks
        ? {
            required_status_checks: {
              url: `${u}/required_status_checks`,
              strict: checks.strict === true,
              contexts: checks.contexts ?? [],
              contexts_url: `${u}/required_status_checks/contexts`,
              checks: (checks.contexts ?? []).map((context) => ({ context, app_id: null })),
            },
          }
        : {}),
      ...(reviews
        ? {
            required_pull_request_reviews: {
              url: `${u}/required_pull_request_reviews`,
              dismiss_stale_reviews: reviews.dismiss_stale_reviews === true,
              require_code_owner_reviews: reviews.require_code_owner_reviews === true,
              required_approving_review_count: reviews.required_approving_review_count ?? 1,
              require_last_push_approval: reviews.require_last_push_approval === true,
            },
          }
        : {}),
      required_signatures: { url: `${u}/required_signatures`, enabled: false },
      enforce_admins: { url: `${u}/enforce_admins`, enabled: b['enforce_admins'] === true },
      required_linear_history: on('required_linear_history'),
      allow_force_pushes: on('allow_force_pushes'),
      allow_deletions: on('allow_deletions'),
      block_creations: on('block_creations'),
      required_conversation_resolution: on('required_conversation_resolution'),
      lock_branch: on('lock_branch'),
      allow_fork_syncing: on('allow_fork_syncing'),
    };
  };

  let reposDir: string | undefined;
  const gitEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'GitHub',
    GIT_AUTHOR_EMAIL: 'noreply@github.com',
    GIT_COMMITTER_NAME: 'GitHub',
    GIT_COMMITTER_EMAIL: 'noreply@github.com',
    ...extra,
  });
  const git = (gitDir: string, args: string[], extra: Record<string, string> = {}) =>
    run('git', ['--git-dir', gitDir, ...args], { env: gitEnv(extra), maxBuffer: 64 * 1024 * 1024 });

  /** Commits `files` (the whole tree) onto the default branch. */
  async function commitFiles(r: Repo, message: string): Promise<void> {
    const tmp = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'atrium-fake-github-wt-'));
    try {
      const tree = nodePath.join(tmp, 'tree');
      fs.mkdirSync(tree);
      for (const [p, c] of r.files) {
        const abs = nodePath.join(tree, p);
        fs.mkdirSync(nodePath.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, c);
      }
      const env = { GIT_INDEX_FILE: nodePath.join(tmp, 'index') };
      await git(r.gitDir!, ['--work-tree', tree, 'add', '--all', '--', '.'], env);
      await git(r.gitDir!, ['--work-tree', tree, 'commit', '--quiet', '--allow-empty', '--no-verify', '-m', message], env);
      r.commit = (await git(r.gitDir!, ['rev-parse', 'HEAD'])).stdout.trim();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    r.dirty = false;
  }

  /** The repository's bare git repository, made on first use (its files become the first commit). */
  async function ensureGit(r: Repo): Promise<string> {
    if (!r.gitDir) {
      reposDir ??= fs.mkdtempSync(nodePath.join(os.tmpdir(), 'atrium-fake-github-'));
      const dir = nodePath.join(reposDir, `${r.id}.git`);
      await run('git', ['init', '--bare', '--quiet', `--initial-branch=${r.defaultBranch}`, dir], { env: gitEnv() });
      await git(dir, ['config', 'http.receivepack', 'true']);
      r.gitDir = dir;
      r.dirty = r.files.size > 0;
    }
    if (r.dirty) await commitFiles(r, r.lastCommit?.message ?? 'Initial commit');
    return r.gitDir;
  }

  const branchSha = async (r: Repo, branch: string): Promise<string | undefined> => {
    const dir = await ensureGit(r);
    return git(dir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]).then(
      (o) => o.stdout.trim(),
      () => undefined,
    );
  };

  async function readBranch(dir: string, branch: string): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    const listing = (await git(dir, ['ls-tree', '-r', '-z', '--full-tree', `refs/heads/${branch}`])).stdout;
    for (const entry of listing.split('\0').filter(Boolean)) {
      const tab = entry.indexOf('\t');
      const [, type, sha] = entry.slice(0, tab).split(' ');
      if (type === 'blob') files.set(entry.slice(tab + 1), (await git(dir, ['cat-file', 'blob', sha!])).stdout);
    }
    return files;
  }

  /** After a push: the first branch of an empty repository becomes its default; the default branch's files are served. */
  async function syncAfterPush(r: Repo): Promise<void> {
    const dir = r.gitDir!;
    const heads = (await git(dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'])).stdout.split('\n').filter(Boolean);
    if (heads.length === 0) return;
    if (!heads.includes(r.defaultBranch)) {
      r.defaultBranch = heads[0]!;
      await git(dir, ['symbolic-ref', 'HEAD', `refs/heads/${r.defaultBranch}`]);
    }
    const head = (await git(dir, ['rev-parse', `refs/heads/${r.defaultBranch}`])).stdout.trim();
    if (head !== r.commit) {
      r.files = await readBranch(dir, r.defaultBranch);
      r.commit = head;
      r.pushedAt = tick();
      r.lastCommit = { message: (await git(dir, ['log', '-1', '--format=%s', head])).stdout.trim(), author: r.owner };
    }
  }

  /** git smart HTTP at `<url>/<owner>/<repo>.git` through `git http-backend`; a token is the basic-auth password. */
  async function gitHttp(req: http.IncomingMessage, res: http.ServerResponse, url: URL, m: RegExpExecArray): Promise<void> {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
    if (!password || !tokens.has(password)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' });
      res.end('Invalid username or token. Password authentication is not supported for Git operations.\n');
      return;
    }
    const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Repository not found.\n');
      return;
    }
    const dir = await ensureGit(r);
    const input = await readBody(req);
    const child = spawn('git', ['http-backend'], {
      env: gitEnv({
        GIT_PROJECT_ROOT: nodePath.dirname(dir),
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${nodePath.basename(dir)}/${m[3]}`,
        REQUEST_METHOD: req.method ?? 'GET',
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
        CONTENT_LENGTH: String(input.length),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      }),
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stdin.end(input);
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    if (m[3] === 'git-receive-pack') await syncAfterPush(r);
    const all = Buffer.concat(out);
    const split = all.indexOf('\r\n\r\n');
    res.statusCode = 200;
    for (const line of all.subarray(0, Math.max(0, split)).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':');
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') res.statusCode = Number(v.split(' ')[0]);
      else if (k) res.setHeader(k, v);
    }
    res.end(split >= 0 ? all.subarray(split + 4) : all);
  }

  const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const gitMatch = GIT_PATH.exec(url.pathname);
      if (gitMatch) return gitHttp(req, res, url, gitMatch);
      const raw = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
      let body: unknown = {};
      try {
        if (raw.length) body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = INVALID_JSON;
      }
      await handle(req, res, body);
    })().catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(e) }));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization ?? '';
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(auth)?.[1];
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
    };
    let operation = operationOf(path);

    const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      const all = Object.fromEntries(Object.entries({ ...headers, ...extra }).filter(([, v]) => v !== ''));
      served.push({ method, operation, status, headers: all, body });
      res.writeHead(status, all);
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };

    // A GitHub App's JWT: the app's own endpoints.
    const app = token && token.split('.').length === 3 ? appOf(token) : undefined;
    if (app) {
      const appHeaders = {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
      };
      Object.assign(headers, appHeaders);
      let am: RegExpExecArray | null;
      if (method === 'GET' && path === '/app') return send(200, appJson(app));
      if (method === 'GET' && (am = /^\/(?:orgs|users)\/([^/]+)\/installation$/.exec(path))) {
        const inst = app.installations.find((i) => i.account.toLowerCase() === decodeURIComponent(am![1]!).toLowerCase());
        return inst ? send(200, installationJson(app, inst)) : send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      }
      if (method === 'POST' && (am = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
        const inst = app.installations.find((i) => i.id === Number(am![1]));
        if (!inst) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        const issued = `ghs_${crypto.randomBytes(18).toString('hex')}`;
        tokens.set(issued, { login: `${app.slug}[bot]`, scopes: [] });
        return send(201, {
          token: issued,
          expires_at: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions: { contents: 'read', metadata: 'read', members: 'read' },
          repository_selection: 'all',
        });
      }
      return send(403, { message: 'A JSON web token could not be decoded', documentation_url: DOCS, status: '403' });
    }

    const who = token ? tokens.get(token) : undefined;
    if (!who) {
      return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    }

    // Secondary limits, on demand.
    if (failures && failures.count > 0) {
      failures.count -= 1;
      const f = failures;
      if (f.count === 0) failures = undefined;
      return send(
        f.status,
        {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
          status: String(f.status),
        },
        { 'retry-after': String(f.retryAfterSeconds) },
      );
    }

    // The primary limit.
    const now = Math.floor(Date.now() / 1000);
    let budget = budgets.get(token!);
    if (!budget || budget.reset <= now) budgets.set(token!, (budget = { remaining: limit, reset: now + windowSeconds }));
    const rateHeaders = () => ({
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(budget!.remaining),
      'x-ratelimit-reset': String(budget!.reset),
      'x-ratelimit-used': String(limit - budget!.remaining),
      'x-ratelimit-resource': 'core',
    });
    if (budget.remaining <= 0) {
      Object.assign(headers, rateHeaders());
      return send(403, {
        message: `API rate limit exceeded for user ID ${idOf(`user:${who.login}`)}.`,
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
        status: '403',
      });
    }

    // Server errors, on demand (counted, with the rate-limit headers).
    if (serverErrors.count > 0 && (serverErrors.operation === undefined || serverErrors.operation === operation)) {
      serverErrors.count -= 1;
      budget.remaining -= 1;
      countedCalls += 1;
      Object.assign(headers, rateHeaders());
      return send(serverErrors.status, { message: 'Server Error' });
    }

    /** Answers 200 with an ETag, or 304 when the client already has it (not counted). */
    const conditional = (body: unknown, extra: Record<string, string> = {}) => {
      const etag = `"${sha1(JSON.stringify(body))}"`;
      const given = req.headers['if-none-match'];
      if (given && given.split(',').some((g) => g.trim().replace(/^W\//, '') === etag)) {
        Object.assign(headers, rateHeaders());
        headers['content-type'] = '';
        return send(304, undefined, { etag, ...extra });
      }
      budget!.remaining -= 1;
      countedCalls += 1;
      Object.assign(headers, rateHeaders());
      return send(200, body, { etag, ...extra });
    };
    const notFound = () => {
      budget!.remaining -= 1;
      countedCalls += 1;
      Object.assign(headers, rateHeaders());
      send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    };

    /** A counted answer to a write (rate-limit headers, no ETag). */
    const answer = (status: number, payload?: unknown) => {
      budget!.remaining -= 1;
      countedCalls += 1;
      Object.assign(headers, rateHeaders());
      if (payload === undefined) headers['content-type'] = '';
      return send(status, payload);
    };
    const invalid = (message: string, errors?: unknown[]) => answer(422, { message, ...(errors ? { errors } : {}), documentation_url: DOCS });

    /** The writes the scaffolder's GitHub actions make. */
    async function write(): Promise<void> {
      if (body === INVALID_JSON) return answer(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' });
      const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
      let w: RegExpExecArray | null;
      const repoAt = (x: RegExpExecArray) => findRepo(decodeURIComponent(x[1]!), decodeURIComponent(x[2]!));

      if (method === 'POST' && ((w = /^\/orgs\/([^/]+)\/repos$/.exec(path)) || path === '/user/repos')) {
        const forUser = path === '/user/repos';
        operation = forUser ? '/user/repos' : '/orgs/{org}/repos';
        // An installation token acts for an app, which has no user account to create repositories in.
        if (forUser && who!.login.endsWith('[bot]'))
          return answer(403, { message: 'Resource not accessible by integration', documentation_url: DOCS, status: '403' });
        const owner = forUser ? who!.login : decodeURIComponent(w![1]!);
        if (!forUser && !orgExists(owner)) return answer(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        const name = typeof b['name'] === 'string' ? b['name'] : '';
        if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === '.' || name === '..')
          return invalid('Repository creation failed.', [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' }]);
        if (findRepo(owner, name))
          return invalid('Repository creation failed.', [
            { resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' },
          ]);
        const v = b['visibility'];
        const visibility = !forUser && (v === 'public' || v === 'private' || v === 'internal') ? v : b['private'] === true ? 'private' : 'public';
        const settings: Record<string, boolean> = {};
        for (const k of REPO_SETTINGS) {
          const value = b[k];
          if (typeof value === 'boolean') settings[k] = value;
        }
        const at = tick();
        const r: Repo = {
          id: idOf(`repo:${owner}/${name}`.toLowerCase()),
          owner,
          name,
          visibility,
          archived: false,
          topics: [],
          language: null,
          description: typeof b['description'] === 'string' ? b['description'] : null,
          homepage: typeof b['homepage'] === 'string' ? b['homepage'] : null,
          defaultBranch: 'main',
          files: new Map(),
          adminTeams: [],
          createdAt: at,
          pushedAt: at,
          commit: sha1(`${owner}/${name}:${at}`),
          settings,
        };
        repos.set(`${owner}/${name}`.toLowerCase(), r);
        await ensureGit(r);
        return answer(201, fullRepoJson(r));
      }

      if (method === 'PUT' && (w = /^\/repos\/([^/]+)\/([^/]+)\/topics$/.exec(path))) {
        operation = '/repos/{owner}/{repo}/topics';
        const r = repoAt(w);
        if (!r) return notFound();
        const names = b['names'];
        if (!Array.isArray(names)) return invalid('Invalid request.', ['"names" wasn\'t supplied.']);
        const bad = names.find((n) => typeof n !== 'string' || !/^[a-z0-9][a-z0-9-]{0,49}$/.test(n));
        if (bad !== undefined) return invalid('Validation Failed', [`${JSON.stringify(bad)} is not a valid topic name`]);
        r.topics = [...new Set(names as string[])];
        return answer(200, { names: r.topics });
      }

      if (method === 'PUT' && (w = /^\/repos\/([^/]+)\/([^/]+)\/branches\/(.+)\/protection$/.exec(path))) {
        operation = '/repos/{owner}/{repo}/branches/{branch}/protection';
        const r = repoAt(w);
        if (!r) return notFound();
        const branch = decodeURIComponent(w[3]!);
        const missing = ['required_status_checks', 'enforce_admins', 'required_pull_request_reviews', 'restrictions'].filter((k) => !(k in b));
        if (missing.length)
          return invalid(
            'Invalid request.',
            missing.map((k) => `"${k}" wasn't supplied.`),
          );
        if (!(await branchSha(r, branch))) return answer(404, { message: 'Branch not found', documentation_url: DOCS, status: '404' });
        (r.protection ??= new Map()).set(branch, b);
        return answer(200, protectionJson(r, branch, b));
      }

      if (method === 'POST' && (w = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(path))) {
        operation = '/repos/{owner}/{repo}/pulls';
        const r = repoAt(w);
        if (!r) return notFound();
        const { title, head: headIn, base: baseIn } = b;
        if (typeof title !== 'string' || !title || typeof headIn !== 'string' || typeof baseIn !== 'string') {
          const field = typeof title !== 'string' || !title ? 'title' : typeof headIn !== 'string' ? 'head' : 'base';
          return invalid('Validation Failed', [{ resource: 'PullRequest', code: 'missing_field', field }]);
        }
        const head = headIn.includes(':') ? headIn.slice(headIn.indexOf(':') + 1) : headIn;
        const headSha = await branchSha(r, head);
        if (!headSha) return invalid('Validation Failed', [{ resource: 'PullRequest', code: 'invalid', field: 'head' }]);
        const baseSha = await branchSha(r, baseIn);
        if (!baseSha) return invalid('Validation Failed', [{ resource: 'PullRequest', code: 'invalid', field: 'base' }]);
        if (headSha === baseSha)
          return invalid('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${baseIn} and ${head}` }]);
        const pulls = (r.pulls ??= []);
        if (pulls.some((p) => p.head === head && (p.base ?? r.defaultBranch) === baseIn))
          return invalid('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${r.owner}:${head}.` }]);
        const p = {
          id: nextId++,
          number: pulls.length + 1,
          title,
          author: who!.login,
          head,
          base: baseIn,
          draft: b['draft'] === true,
          body: typeof b['body'] === 'string' ? b['body'] : null,
          sha: headSha,
          createdAt: tick(),
        };
        pulls.push(p);
        return answer(201, {
          ...pullJson(r, p),
          merged: false,
          mergeable: null,
          rebaseable: null,
          mergeable_state: 'unknown',
          merged_by: null,
          comments: 0,
          review_comments: 0,
          maintainer_can_modify: false,
          commits: 1,
          additions: 0,
          deletions: 0,
          changed_files: 0,
        });
      }

      if (method === 'POST' && (w = /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/.exec(path))) {
        operation = '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
        const r = repoAt(w);
        const workflowId = decodeURIComponent(w[3]!);
        const workflow = r?.files.get(`.github/workflows/${workflowId}`);
        if (!r || workflow === undefined) return notFound();
        const ref = b['ref'];
        if (typeof ref !== 'string' || !ref)
          return answer(422, { message: 'Invalid request.\n\n"ref" wasn\'t supplied.', documentation_url: DOCS, status: '422' });
        if (!(await branchSha(r, ref.replace(/^refs\/heads\//, ''))))
          return answer(422, { message: `No ref found for: ${ref}`, documentation_url: DOCS, status: '422' });
        if (!/workflow_dispatch/.test(workflow))
          return answer(422, { message: "Workflow does not have 'workflow_dispatch' trigger", documentation_url: DOCS, status: '422' });
        const inputs = b['inputs'] ?? {};
        if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs) || Object.keys(inputs).length > 25)
          return answer(422, { message: 'inputs must be an object of at most 25 properties', documentation_url: DOCS, status: '422' });
        (r.dispatches ??= []).push({ workflowId, ref, inputs: inputs as Record<string, unknown> });
        return answer(204);
      }

      if (method === 'POST' && (w = /^\/repos\/([^/]+)\/([^/]+)\/hooks$/.exec(path))) {
        operation = '/repos/{owner}/{repo}/hooks';
        const r = repoAt(w);
        if (!r) return notFound();
        const config = (b['config'] && typeof b['config'] === 'object' ? b['config'] : {}) as Record<string, unknown>;
        const hookUrl = config['url'];
        if (typeof hookUrl !== 'string' || !/^https?:\/\/./.test(hookUrl))
          return invalid('Validation Failed', [{ resource: 'Hook', code: 'custom', message: 'Config must contain URL for webhooks' }]);
        const events = b['events'] === undefined ? ['push'] : b['events'];
        if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string'))
          return invalid('Validation Failed', [{ resource: 'Hook', code: 'custom', field: 'events', message: 'events are invalid' }]);
        const hooks = (r.hooks ??= []);
        if (hooks.some((h) => h.url === hookUrl))
          return invalid('Validation Failed', [{ resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' }]);
        const rawSecret = config['secret'];
        const secret = typeof rawSecret === 'string' && rawSecret ? rawSecret : undefined;
        const h = {
          id: nextId++,
          url: hookUrl,
          contentType: config['content_type'] === 'json' ? 'json' : 'form',
          ...(secret ? { secret } : {}),
          insecureSsl: String(config['insecure_ssl'] ?? '0'),
          events: events as string[],
          active: b['active'] !== false,
          createdAt: tick(),
        };
        hooks.push(h);
        return answer(201, hookJson(r, h));
      }

      operation = path;
      return notFound();
    }

    if (method !== 'GET') return write();

    const paginate = (items: unknown[], path0: string) => {
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const link = (p: number) => {
        const q = new URLSearchParams(url.searchParams);
        q.set('per_page', String(perPage));
        q.set('page', String(p));
        return `${base}${path0}?${q}`;
      };
      const parts: string[] = [];
      if (page > 1) parts.push(`<${link(page - 1)}>; rel="prev"`, `<${link(1)}>; rel="first"`);
      if (page < last) parts.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
      return conditional(items.slice((page - 1) * perPage, page * perPage), parts.length ? { link: parts.join(', ') } : {});
    };

    let m: RegExpExecArray | null;
    if (path === '/user') {
      operation = '/user';
      return conditional(privateUserJson(who.login), { 'x-oauth-scopes': who.scopes.join(', '), 'x-accepted-oauth-scopes': '' });
    }
    if ((m = /^\/users\/([^/]+)$/.exec(path))) {
      operation = '/users/{username}';
      const login = decodeURIComponent(m[1]!);
      const user = [...tokens.values()].find((t) => t.login.toLowerCase() === login.toLowerCase());
      if (user) return conditional(publicUserJson(user.login, 'User'));
      if (orgExists(login)) return conditional(publicUserJson(login, 'Organization'));
      return notFound();
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path))) {
      operation = '/repos/{owner}/{repo}';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (!r) return notFound();
      return conditional(fullRepoJson(r));
    }
    if ((m = /^\/orgs\/([^/]+)\/repos$/.exec(path)) || (m = /^\/users\/([^/]+)\/repos$/.exec(path))) {
      operation = path.startsWith('/orgs/') ? '/orgs/{org}/repos' : '/users/{username}/repos';
      const owner = decodeURIComponent(m[1]!).toLowerCase();
      const list = [...repos.values()].filter((r) => r.owner.toLowerCase() === owner).sort((a, b) => a.id - b.id);
      if (list.length === 0 && ![...teams.values()].some((t) => t.org.toLowerCase() === owner)) return notFound();
      return paginate(list.map(repoJson), path);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path))) {
      operation = '/repos/{owner}/{repo}/contents/{path}';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      const filePath = decodeURIComponent(m[3]!);
      const content = r?.files.get(filePath);
      if (!r || content === undefined) return notFound();
      return conditional(fileJson(r, filePath, content));
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([^/]+)$/.exec(path))) {
      operation = '/repos/{owner}/{repo}/git/trees/{tree_sha}';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (!r) return notFound();
      const entries = new Map<string, { path: string; mode: string; type: string; sha: string; size?: number; url: string }>();
      for (const [p, c] of r.files) {
        const segments = p.split('/');
        for (let i = 1; i < segments.length; i++) {
          const dir = segments.slice(0, i).join('/');
          if (!entries.has(dir))
            entries.set(dir, {
              path: dir,
              mode: '040000',
              type: 'tree',
              sha: sha1(`tree:${dir}`),
              url: `${base}/repos/${r.owner}/${r.name}/git/trees/${sha1(`tree:${dir}`)}`,
            });
        }
        const sha = sha1(`blob ${c.length}\0${c}`);
        entries.set(p, { path: p, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(c), url: `${base}/repos/${r.owner}/${r.name}/git/blobs/${sha}` });
      }
      return conditional({
        sha: r.commit,
        url: `${base}/repos/${r.owner}/${r.name}/git/trees/${r.commit}`,
        tree: [...entries.values()].sort((a, b) => a.path.localeCompare(b.path)),
        truncated: false,
      });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/teams$/.exec(path))) {
      operation = '/repos/{owner}/{repo}/teams';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (!r) return notFound();
      const list = r.adminTeams.map((slug) => teams.get(`${r.owner}/${slug}`)).filter((t): t is Team => !!t);
      return paginate(
        list.map((t) => ({ ...teamJson(t), permission: 'admin' })),
        path,
      );
    }
    if ((m = /^\/orgs\/([^/]+)\/teams$/.exec(path))) {
      operation = '/orgs/{org}/teams';
      const org = decodeURIComponent(m[1]!).toLowerCase();
      return paginate(
        [...teams.values()]
          .filter((t) => t.org.toLowerCase() === org)
          .sort((a, b) => a.id - b.id)
          .map(teamJson),
        path,
      );
    }
    if ((m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(path))) {
      operation = '/orgs/{org}/teams/{team_slug}/members';
      const t = teams.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`);
      if (!t) return notFound();
      return paginate(
        t.members.map((login) => userJson(login)),
        path,
      );
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs$/.exec(path))) {
      operation = '/repos/{owner}/{repo}/actions/runs';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (!r) return notFound();
      const branch = url.searchParams.get('branch');
      const status = url.searchParams.get('status');
      const list = [...(r.runs ?? [])]
        .filter((x) => (!branch || x.branch === branch) && (!status || x.status === status || x.conclusion === status))
        .sort((a, b) => b.id - a.id);
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      return conditional({ total_count: list.length, workflow_runs: list.slice((page - 1) * perPage, page * perPage).map((x) => runJson(r, x)) });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(path))) {
      operation = '/repos/{owner}/{repo}/pulls';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      if (!r) return notFound();
      // Only open pull requests are kept: state=closed lists none.
      const state = url.searchParams.get('state') ?? 'open';
      const list = state === 'closed' ? [] : [...(r.pulls ?? [])].sort((a, b) => b.number - a.number);
      return paginate(
        list.map((p) => pullJson(r, p)),
        path,
      );
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/commits$/.exec(path))) {
      operation = '/repos/{owner}/{repo}/commits';
      const r = findRepo(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
      const ref = url.searchParams.get('sha');
      // Only the head of the default branch is known.
      if (!r || (ref && ref !== r.defaultBranch && ref !== r.commit)) return notFound();
      return paginate([commitJson(r)], path);
    }
    operation = path;
    return notFound();
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const need = (owner: string, name: string) => {
    const r = findRepo(owner, name);
    if (!r) throw new Error(`fake GitHub: no repository ${owner}/${name}`);
    return r;
  };
  const bump = (r: Repo) => {
    r.pushedAt = tick();
    r.commit = sha1(`${r.commit}:${r.pushedAt}`);
  };

  return {
    url: base,
    served,
    addToken(token, o) {
      tokens.set(token, { login: o.login, scopes: o.scopes ?? ['repo', 'read:org'] });
    },
    addApp(a) {
      apps.set(a.appId, { ...a, installations: [...a.installations] });
    },
    revokeToken(token) {
      tokens.delete(token);
    },
    addRepo(input) {
      const at = tick();
      const repo: Repo = {
        id: input.id ?? idOf(`repo:${input.owner}/${input.name}`.toLowerCase()),
        owner: input.owner,
        name: input.name,
        visibility: input.visibility ?? 'public',
        archived: input.archived ?? false,
        topics: input.topics ?? [],
        language: input.language ?? null,
        description: input.description ?? null,
        defaultBranch: input.defaultBranch ?? 'main',
        files: new Map(Object.entries(input.files ?? {})),
        adminTeams: input.adminTeams ?? [],
        createdAt: at,
        pushedAt: at,
        commit: sha1(`${input.owner}/${input.name}:${at}`),
      };
      repos.set(`${input.owner}/${input.name}`.toLowerCase(), repo);
    },
    pushFile(owner, name, path, content) {
      const r = need(owner, name);
      if (content === null) r.files.delete(path);
      else r.files.set(path, content);
      bump(r);
      // The next git access commits the change, so git and the REST endpoints agree.
      if (r.gitDir) r.dirty = true;
    },
    renameRepo(owner, name, newName) {
      const r = need(owner, name);
      repos.delete(`${owner}/${name}`.toLowerCase());
      r.name = newName;
      repos.set(`${owner}/${newName}`.toLowerCase(), r);
      bump(r);
    },
    archiveRepo(owner, name) {
      const r = need(owner, name);
      r.archived = true;
      bump(r);
    },
    deleteRepo(owner, name) {
      need(owner, name);
      repos.delete(`${owner}/${name}`.toLowerCase());
    },
    addTeam(t) {
      teams.set(`${t.org}/${t.slug}`, {
        id: idOf(`team:${t.org}/${t.slug}`),
        org: t.org,
        slug: t.slug,
        name: t.name ?? t.slug,
        description: t.description ?? null,
        ...(t.parent ? { parent: t.parent } : {}),
        members: [...t.members],
      });
    },
    setTeamMembers(org, slug, members) {
      const t = teams.get(`${org}/${slug}`);
      if (!t) throw new Error(`fake GitHub: no team ${org}/${slug}`);
      t.members = [...members];
    },
    addWorkflowRun(owner, name, input) {
      const r = need(owner, name);
      const runs = (r.runs ??= []);
      const id = nextId++;
      const status = input.status ?? 'completed';
      runs.push({
        workflow: input.workflow ?? 'CI',
        branch: input.branch ?? r.defaultBranch,
        event: input.event ?? 'push',
        status,
        conclusion: input.conclusion !== undefined ? input.conclusion : status === 'completed' ? 'success' : null,
        actor: input.actor ?? r.owner,
        title: input.title ?? r.lastCommit?.message ?? 'Initial commit',
        id,
        number: runs.length + 1,
        sha: input.branch && input.branch !== r.defaultBranch ? sha1(`${r.commit}:${input.branch}`) : r.commit,
        createdAt: tick(),
      });
      return id;
    },
    openPullRequest(owner, name, input) {
      const r = need(owner, name);
      const pulls = (r.pulls ??= []);
      const number = pulls.length + 1;
      const head = input.head ?? `change-${number}`;
      pulls.push({
        id: nextId++,
        number,
        title: input.title,
        author: input.author,
        head,
        draft: input.draft ?? false,
        body: input.body ?? null,
        sha: sha1(`${r.commit}:${head}`),
        createdAt: tick(),
      });
      return number;
    },
    commit(owner, name, c) {
      const r = need(owner, name);
      bump(r);
      r.lastCommit = { message: c.message, author: c.author };
      return r.commit;
    },
    failServerNext(o = {}) {
      serverErrors = { status: o.status ?? 500, count: o.count ?? 1, ...(o.operation ? { operation: o.operation } : {}) };
    },
    setRateLimit(o) {
      limit = o.limit;
      windowSeconds = o.windowSeconds ?? 3600;
      budgets.clear();
      if (o.remaining !== undefined)
        for (const t of tokens.keys()) budgets.set(t, { remaining: o.remaining, reset: Math.floor(Date.now() / 1000) + windowSeconds });
    },
    failNext(o) {
      failures = { status: o.status, retryAfterSeconds: o.retryAfterSeconds, count: o.count ?? 1 };
    },
    counted: () => countedCalls,
    repoJson: (owner, name) => repoJson(need(owner, name)),
    addOrg(login) {
      orgs.add(login.toLowerCase());
    },
    repoState(owner, name) {
      const r = need(owner, name);
      return {
        owner: r.owner,
        name: r.name,
        defaultBranch: r.defaultBranch,
        visibility: r.visibility,
        description: r.description,
        homepage: r.homepage ?? null,
        topics: [...r.topics],
        settings: { ...(r.settings ?? {}) },
        files: Object.fromEntries(r.files),
        pulls: (r.pulls ?? []).map((p) => ({ number: p.number, title: p.title, body: p.body, head: p.head, base: p.base ?? r.defaultBranch, draft: p.draft })),
        hooks: (r.hooks ?? []).map(({ createdAt: _c, ...h }) => h),
        dispatches: [...(r.dispatches ?? [])],
        protection: Object.fromEntries(r.protection ?? []),
      };
    },
    async branchFiles(owner, name, branch) {
      const dir = await ensureGit(need(owner, name));
      return Object.fromEntries(await readBranch(dir, branch));
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (reposDir) fs.rmSync(reposDir, { recursive: true, force: true });
    },
  };
}
