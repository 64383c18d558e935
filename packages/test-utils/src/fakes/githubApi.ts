import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for GitHub's REST API (api.github.com, or a GitHub Enterprise Server under
 * `/api/v3`), serving the operations repository discovery and org sync use, in GitHub's shapes:
 * repository lists paginated with `Link` headers, strong ETags and `304 Not Modified` for
 * `If-None-Match`, the `x-ratelimit-*` headers on every answer (a conditional request answered
 * with 304 does not count, as on GitHub), a primary limit that runs out, and secondary limits
 * (`403` or `429` with `retry-after`) on demand. Every answer is recorded in `served` so a test
 * can check it against GitHub's OpenAPI description (see githubApi.test.ts).
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
  /** The next `count` authenticated requests answer with a server error (default 500). */
  failServerNext(options?: { status?: 500 | 502 | 503; count?: number }): void;
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
  runs?: Array<Required<Omit<FakeGitHubWorkflowRunInput, 'conclusion'>> & { conclusion: string | null; id: number; number: number; sha: string; createdAt: string }>;
  pulls?: Array<{ id: number; number: number; title: string; author: string; head: string; draft: boolean; body: string | null; sha: string; createdAt: string }>;
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
  let serverErrors = { status: 500, count: 0 };
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
      base: { label: `${r.owner}:${r.defaultBranch}`, ref: r.defaultBranch, repo, sha: r.commit, user: repo.owner },
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

  const server = http.createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String(e) }));
    }
  });

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
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
    if (serverErrors.count > 0) {
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

    if (method !== 'GET') {
      operation = path;
      return notFound();
    }

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
      serverErrors = { status: o.status ?? 500, count: o.count ?? 1 };
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
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
