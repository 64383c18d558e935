import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A local stand-in for a GitLab instance in tests: the REST v4 endpoints Atrium's GitLab module
 * calls, answered in the shapes GitLab's REST docs give (and `@gitbeaker/core`'s typings
 * declare; see the fidelity test in plugins/integrations), with GitLab's offset pagination
 * headers (`x-page`, `x-per-page`, `x-next-page`, `x-prev-page`, `x-total`, `x-total-pages`,
 * `Link`), its rate-limit headers (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`,
 * `RateLimit-ResetTime`) and `429` with `Retry-After` on demand.
 *
 * Projects created through `POST /projects` (or added with `repo: true`) get a real bare git
 * repository, served over smart HTTP by `git http-backend` at `http_url_to_repo`
 * (`<url>/<namespace>/<path>.git`), which accepts pushes authenticated as GitLab does
 * (basic auth, any user name, the token as password).
 */
export interface FakeGitLabGroupInput {
  /** Full path, e.g. `acme` or `acme/platform` (the parent must exist). */
  fullPath: string;
  name?: string;
  description?: string;
  visibility?: 'public' | 'internal' | 'private';
}

export interface FakeGitLabUserInput {
  username: string;
  name?: string;
  email?: string;
  state?: 'active' | 'blocked';
}

export interface FakeGitLabProjectInput {
  /** `group/subgroup/name` */
  pathWithNamespace: string;
  name?: string;
  description?: string | null;
  defaultBranch?: string;
  topics?: string[];
  visibility?: 'public' | 'internal' | 'private';
  archived?: boolean;
  /** Files on the default branch: path → content. */
  files?: Record<string, string>;
}

/** A CI pipeline of a project (`GET /projects/:id/pipelines`). */
export interface FakeGitLabPipelineInput {
  /** Default: the project's default branch. */
  ref?: string;
  status?: 'created' | 'waiting_for_resource' | 'preparing' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual' | 'scheduled';
  source?: string;
  /** Username of who started it (default `root`). */
  user?: string;
}

/** An open merge request (`GET /projects/:id/merge_requests`). */
export interface FakeGitLabMergeRequestInput {
  title: string;
  /** Username of the author (an added user, or any name). */
  author: string;
  sourceBranch?: string;
  draft?: boolean;
  description?: string | null;
}

export interface FakeGitLabRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
}

export interface FakeGitLabProject {
  id: number;
  pathWithNamespace: string;
  defaultBranch: string;
  files: Map<string, string>;
  /** The bare repository, when it has one. */
  repoDir?: string;
  mergeRequests: Array<Record<string, unknown>>;
  pipelines: Array<Record<string, unknown>>;
  triggerTokens: Set<string>;
}

export interface FakeGitLabApi {
  /** The instance URL (`https://gitlab.example.com` in production); the REST API is at `${url}/api/v4`. */
  url: string;
  apiUrl: string;
  /** The token every request must carry (`PRIVATE-TOKEN` or `Authorization: Bearer`). */
  token: string;
  addGroup(input: FakeGitLabGroupInput): number;
  addUser(input: FakeGitLabUserInput): number;
  /** Direct member of a group (access level 30 = Developer by default). */
  addMember(groupPath: string, username: string, accessLevel?: number): void;
  addProject(input: FakeGitLabProjectInput): FakeGitLabProject;
  /** A project with a real bare repository (served over git smart HTTP at http_url_to_repo). */
  addProjectWithRepo(input: FakeGitLabProjectInput): Promise<FakeGitLabProject>;
  /** A pipeline trigger token of a project (`POST /projects/:id/trigger/pipeline`). */
  addTriggerToken(pathWithNamespace: string, triggerToken: string): void;
  project(pathOrId: string | number): FakeGitLabProject | undefined;
  /** Changes a file on the default branch (bumps the project's last_activity_at). */
  setFile(pathWithNamespace: string, filePath: string, content: string | undefined): void;
  renameProject(from: string, to: string): void;
  removeProject(pathWithNamespace: string): void;
  /** Rate limit: the window's size and what is left; `RateLimit-*` headers follow it, and 0 left answers 429. */
  setRateLimit(limit: number, remaining: number, resetInSeconds?: number): void;
  /** The next `count` API requests answer 429 with `Retry-After: retryAfterSeconds`. */
  throttleNext(count: number, retryAfterSeconds: number): void;
  /** A pipeline of the project (listed newest first); returns its id. */
  addPipeline(pathWithNamespace: string, input?: FakeGitLabPipelineInput): number;
  /** Opens a merge request against the default branch; returns its iid. */
  openMergeRequest(pathWithNamespace: string, input: FakeGitLabMergeRequestInput): number;
  /** A commit on the default branch of a project without a repository (no file change). */
  commit(pathWithNamespace: string, commit: { message: string; author: string }): string;
  /**
   * The next `count` API requests answer with a server error (default 500); with `path` (matched
   * against the path after `/api/v4`, still URL-encoded) only matching requests fail.
   */
  failNext(count: number, status?: number, only?: { path: RegExp }): void;
  requests: FakeGitLabRequest[];
  stop(): Promise<void>;
}

interface Group {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  parentId: number | null;
  description: string;
  visibility: 'public' | 'internal' | 'private';
  createdAt: string;
  members: Map<number, number>; // user id → access level
}

interface User {
  id: number;
  username: string;
  name: string;
  email: string;
  state: string;
  createdAt: string;
}

interface Project extends FakeGitLabProject {
  name: string;
  path: string;
  namespaceId: number;
  description: string | null;
  topics: string[];
  visibility: 'public' | 'internal' | 'private';
  archived: boolean;
  createdAt: string;
  lastActivityAt: string;
  /** The default branch's last commit (projects without a repository). */
  lastCommit?: { message: string; author: string };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SHA = (s: string) => crypto.createHash('sha1').update(s).digest('hex');
const SHA256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export async function startFakeGitLabApi(options: { token?: string; port?: number; perPageMax?: number } = {}): Promise<FakeGitLabApi> {
  const token = options.token ?? `glpat-${crypto.randomBytes(10).toString('hex')}`;
  const reposDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-fake-gitlab-'));
  let nextId = 100;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  const groups = new Map<number, Group>();
  const users = new Map<number, User>();
  const projects = new Map<number, Project>();
  const requests: FakeGitLabRequest[] = [];
  const triggerIds = new Map<number, { project: number; token: string }>();
  let rate = { limit: 2000, remaining: 2000, resetAt: Math.floor(Date.now() / 1000) + 60 };
  let throttle = { count: 0, retryAfter: 1 };
  let serverErrors: { count: number; status: number; path?: RegExp } = { count: 0, status: 500 };
  let url = '';

  const groupByPath = (p: string) => [...groups.values()].find((g) => g.fullPath.toLowerCase() === p.toLowerCase());
  const projectByPath = (p: string) => [...projects.values()].find((x) => x.pathWithNamespace.toLowerCase() === p.toLowerCase());
  const userByName = (n: string) => [...users.values()].find((u) => u.username === n);

  function findGroup(ref: string): Group {
    const g = /^\d+$/.test(ref) ? groups.get(Number(ref)) : groupByPath(ref);
    if (!g) throw new HttpError(404, '404 Group Not Found');
    return g;
  }
  function findProject(ref: string): Project {
    const p = /^\d+$/.test(ref) ? projects.get(Number(ref)) : projectByPath(ref);
    if (!p) throw new HttpError(404, '404 Project Not Found');
    return p;
  }

  function addGroup(input: FakeGitLabGroupInput): number {
    const parts = input.fullPath.split('/');
    const parentPath = parts.slice(0, -1).join('/');
    const parent = parentPath ? groupByPath(parentPath) : undefined;
    if (parentPath && !parent) throw new Error(`fake GitLab: no parent group ${parentPath}`);
    const id = nextId++;
    const pathPart = parts[parts.length - 1]!;
    groups.set(id, {
      id,
      name: input.name ?? pathPart,
      path: pathPart,
      fullPath: input.fullPath,
      parentId: parent?.id ?? null,
      description: input.description ?? '',
      visibility: input.visibility ?? 'private',
      createdAt: tick(),
      members: new Map(),
    });
    return id;
  }

  function addUser(input: FakeGitLabUserInput): number {
    const id = nextId++;
    users.set(id, {
      id,
      username: input.username,
      name: input.name ?? input.username,
      email: input.email ?? `${input.username}@example.com`,
      state: input.state ?? 'active',
      createdAt: tick(),
    });
    return id;
  }

  function addMember(groupPath: string, username: string, accessLevel = 30): void {
    const g = groupByPath(groupPath);
    const u = userByName(username);
    if (!g || !u) throw new Error(`fake GitLab: no group ${groupPath} or user ${username}`);
    g.members.set(u.id, accessLevel);
  }

  async function initRepo(p: Project): Promise<void> {
    const dir = path.join(reposDir, `${p.pathWithNamespace}.git`);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    await run('git', ['init', '--bare', '-q', `--initial-branch=${p.defaultBranch}`, dir]);
    await run('git', ['--git-dir', dir, 'config', 'http.receivepack', 'true']);
    p.repoDir = dir;
  }

  function addProjectSync(input: FakeGitLabProjectInput): Project {
    const parts = input.pathWithNamespace.split('/');
    const ns = groupByPath(parts.slice(0, -1).join('/'));
    if (!ns) throw new Error(`fake GitLab: no group for ${input.pathWithNamespace}`);
    const id = nextId++;
    const p: Project = {
      id,
      name: input.name ?? parts[parts.length - 1]!,
      path: parts[parts.length - 1]!,
      pathWithNamespace: input.pathWithNamespace,
      namespaceId: ns.id,
      defaultBranch: input.defaultBranch ?? 'main',
      description: input.description ?? null,
      topics: input.topics ?? [],
      visibility: input.visibility ?? 'private',
      archived: input.archived ?? false,
      createdAt: tick(),
      lastActivityAt: tick(),
      files: new Map(Object.entries(input.files ?? {})),
      mergeRequests: [],
      pipelines: [],
      triggerTokens: new Set(),
    };
    projects.set(id, p);
    return p;
  }

  function webUrl(p: string) {
    return `${url}/${p}`;
  }

  /** A user as GitLab embeds one (author, user): an added user, or one made up from the name. */
  function embeddedUser(username: string) {
    const u = userByName(username);
    return {
      id: u?.id ?? 1,
      username,
      name: u?.name ?? (username === 'root' ? 'Administrator' : username),
      state: u?.state ?? 'active',
      avatar_url: '',
      web_url: `${url}/${username}`,
    };
  }

  /** A new pipeline in GitLab's (expanded) shape. */
  function newPipeline(p: Project, input: { ref: string; status: string; source: string; user: string; sha?: string }) {
    const now = tick();
    const iid = p.pipelines.length + 1;
    const label = input.status.replace(/_/g, ' ');
    const done = ['success', 'failed', 'canceled', 'skipped'].includes(input.status);
    return {
      id: nextId++,
      iid,
      project_id: p.id,
      sha: input.sha ?? SHA(`${p.id}:${input.ref}:${iid}`),
      ref: input.ref,
      status: input.status,
      source: input.source,
      created_at: now,
      updated_at: now,
      web_url: `${webUrl(p.pathWithNamespace)}/-/pipelines/${iid}`,
      before_sha: '0000000000000000000000000000000000000000',
      tag: false,
      yaml_errors: null,
      user: embeddedUser(input.user),
      started_at: input.status === 'created' || input.status === 'pending' ? null : now,
      finished_at: done ? now : null,
      committed_at: null,
      duration: done ? 0 : null,
      queued_duration: null,
      coverage: null,
      detailed_status: {
        icon: `status_${input.status}`,
        text: label.charAt(0).toUpperCase() + label.slice(1),
        label,
        group: input.status,
        tooltip: label,
        has_details: true,
        details_path: `/${p.pathWithNamespace}/-/pipelines/${iid}`,
        illustration: null,
        favicon: `/assets/ci_favicons/favicon_status_${input.status}.png`,
      },
    };
  }

  /** A new merge request in GitLab's shape (as `POST /projects/:id/merge_requests` answers). */
  function newMergeRequest(
    p: Project,
    input: {
      title: string;
      description: string | null;
      sourceBranch: string;
      targetBranch: string;
      author: string;
      draft: boolean;
      removeSourceBranch: boolean | null;
    },
  ) {
    const iid = p.mergeRequests.length + 1;
    const now = tick();
    const author = embeddedUser(input.author);
    return {
      id: nextId++,
      iid,
      project_id: p.id,
      title: input.title,
      description: input.description,
      state: 'opened',
      created_at: now,
      updated_at: now,
      web_url: `${webUrl(p.pathWithNamespace)}/-/merge_requests/${iid}`,
      merged_by: null,
      merge_user: null,
      merged_at: null,
      closed_by: null,
      closed_at: null,
      target_branch: input.targetBranch,
      source_branch: input.sourceBranch,
      user_notes_count: 0,
      upvotes: 0,
      downvotes: 0,
      author,
      assignees: [],
      assignee: null,
      reviewers: [],
      source_project_id: p.id,
      target_project_id: p.id,
      labels: [],
      draft: input.draft,
      work_in_progress: input.draft,
      milestone: null,
      merge_when_pipeline_succeeds: false,
      merge_status: 'checking',
      detailed_merge_status: 'checking',
      sha: SHA(`${p.id}:${iid}`),
      merge_commit_sha: null,
      squash_commit_sha: null,
      discussion_locked: null,
      should_remove_source_branch: input.removeSourceBranch,
      force_remove_source_branch: Boolean(input.removeSourceBranch),
      reference: `!${iid}`,
      references: { short: `!${iid}`, relative: `!${iid}`, full: `${p.pathWithNamespace}!${iid}` },
      time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
      squash: false,
      task_completion_status: { count: 0, completed_count: 0 },
      prepared_at: null,
      has_conflicts: false,
      blocking_discussions_resolved: true,
      approvals_before_merge: null,
      subscribed: true,
      changes_count: null,
      latest_build_started_at: null,
      latest_build_finished_at: null,
      first_deployed_to_production_at: null,
      pipeline: null,
      head_pipeline: null,
      diff_refs: null,
      merge_error: null,
      first_contribution: false,
      user: { can_merge: true },
    };
  }

  /** The head commit of a branch: from the bare repository when the project has one, else the in-memory files' state. */
  async function headCommit(p: Project, ref: string) {
    if (ref.startsWith('-')) return undefined;
    let c:
      | {
          id: string;
          parents: string[];
          authorName: string;
          authorEmail: string;
          authored: string;
          committerName: string;
          committerEmail: string;
          committed: string;
          message: string;
        }
      | undefined;
    if (p.repoDir) {
      try {
        const { stdout } = await run('git', [
          '--git-dir',
          p.repoDir,
          'log',
          '-1',
          '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI%x00%B',
          ref,
          '--',
        ]);
        const [id, parents, an, ae, ad, cn, ce, cd, ...body] = stdout.split('\0');
        c = {
          id: id!,
          parents: parents ? parents.split(' ') : [],
          authorName: an!,
          authorEmail: ae!,
          authored: ad!,
          committerName: cn!,
          committerEmail: ce!,
          committed: cd!,
          message: body.join('\0').replace(/\n+$/, ''),
        };
      } catch {
        /* no such ref or an empty repository: the in-memory state below */
      }
    }
    if (!c) {
      if (ref !== p.defaultBranch) return undefined;
      const who = embeddedUser(p.lastCommit?.author ?? 'root');
      const email = `${who.username}@example.com`;
      c = {
        id: SHA(`${p.id}:${p.lastActivityAt}`),
        parents: [],
        authorName: who.name,
        authorEmail: email,
        authored: p.lastActivityAt,
        committerName: who.name,
        committerEmail: email,
        committed: p.lastActivityAt,
        message: p.lastCommit?.message ?? 'Initial commit',
      };
    }
    return {
      id: c.id,
      short_id: c.id.slice(0, 8),
      created_at: c.committed,
      parent_ids: c.parents,
      title: c.message.split('\n')[0]!,
      message: c.message,
      author_name: c.authorName,
      author_email: c.authorEmail,
      authored_date: c.authored,
      committer_name: c.committerName,
      committer_email: c.committerEmail,
      committed_date: c.committed,
      trailers: {},
      extended_trailers: {},
      web_url: `${webUrl(p.pathWithNamespace)}/-/commit/${c.id}`,
    };
  }

  function groupJson(g: Group) {
    const parentNames: string[] = [];
    for (let p = g.parentId; p !== null; p = groups.get(p)?.parentId ?? null) parentNames.unshift(groups.get(p)!.name);
    return {
      id: g.id,
      web_url: `${url}/groups/${g.fullPath}`,
      name: g.name,
      path: g.path,
      description: g.description,
      visibility: g.visibility,
      share_with_group_lock: false,
      require_two_factor_authentication: false,
      two_factor_grace_period: 48,
      project_creation_level: 'developer',
      auto_devops_enabled: null,
      subgroup_creation_level: 'maintainer',
      emails_enabled: true,
      mentions_disabled: null,
      lfs_enabled: true,
      default_branch_protection: 2,
      avatar_url: null,
      request_access_enabled: true,
      full_name: [...parentNames, g.name].join(' / '),
      full_path: g.fullPath,
      created_at: g.createdAt,
      parent_id: g.parentId,
      ldap_cn: null,
      ldap_access: null,
      marked_for_deletion_on: null,
    };
  }

  function namespaceJson(g: Group) {
    return {
      id: g.id,
      name: g.name,
      path: g.path,
      kind: 'group',
      full_path: g.fullPath,
      parent_id: g.parentId,
      avatar_url: null,
      web_url: `${url}/groups/${g.fullPath}`,
      members_count_with_descendants: g.members.size,
      billable_members_count: g.members.size,
      plan: 'free',
      trial_ends_on: null,
      trial: false,
    };
  }

  function userJson(u: User) {
    return {
      id: u.id,
      username: u.username,
      name: u.name,
      state: u.state,
      avatar_url: `${url}/uploads/-/system/user/avatar/${u.id}/avatar.png`,
      web_url: `${url}/${u.username}`,
    };
  }

  function memberJson(u: User, level: number) {
    return {
      ...userJson(u),
      created_at: u.createdAt,
      expires_at: null,
      access_level: level,
      email: u.email,
      group_saml_identity: null,
      membership_state: 'active',
      created_by: null,
      locked: false,
    };
  }

  function projectJson(p: Project) {
    const ns = groups.get(p.namespaceId)!;
    const web = webUrl(p.pathWithNamespace);
    const api = `${url}/api/v4/projects/${p.id}`;
    return {
      id: p.id,
      description: p.description,
      description_html: p.description ? `<p>${p.description.replace(/[<>&]/g, '')}</p>` : '',
      name: p.name,
      name_with_namespace: `${groupJson(ns).full_name} / ${p.name}`,
      path: p.path,
      path_with_namespace: p.pathWithNamespace,
      created_at: p.createdAt,
      default_branch: p.defaultBranch,
      tag_list: p.topics,
      topics: p.topics,
      ssh_url_to_repo: `git@${new URL(url).host}:${p.pathWithNamespace}.git`,
      http_url_to_repo: `${web}.git`,
      web_url: web,
      readme_url: p.files.has('README.md') ? `${web}/-/blob/${p.defaultBranch}/README.md` : null,
      forks_count: 0,
      avatar_url: null,
      star_count: 0,
      last_activity_at: p.lastActivityAt,
      namespace: {
        id: ns.id,
        name: ns.name,
        path: ns.path,
        kind: 'group',
        full_path: ns.fullPath,
        parent_id: ns.parentId,
        avatar_url: null,
        web_url: `${url}/groups/${ns.fullPath}`,
      },
      container_registry_image_prefix: `registry.${new URL(url).hostname}/${p.pathWithNamespace}`,
      _links: {
        self: api,
        issues: `${api}/issues`,
        merge_requests: `${api}/merge_requests`,
        repo_branches: `${api}/repository/branches`,
        labels: `${api}/labels`,
        events: `${api}/events`,
        members: `${api}/members`,
        cluster_agents: `${api}/cluster_agents`,
      },
      packages_enabled: true,
      empty_repo: p.files.size === 0 && !p.repoDir,
      archived: p.archived,
      visibility: p.visibility,
      owner: { id: 1, name: 'Administrator', created_at: '2025-01-01T00:00:00.000Z' },
      resolve_outdated_diff_discussions: false,
      container_expiration_policy: {
        cadence: '1d',
        enabled: false,
        keep_n: 10,
        older_than: '90d',
        name_regex: '.*',
        name_regex_delete: null,
        name_regex_keep: null,
        next_run_at: p.createdAt,
      },
      issues_enabled: true,
      merge_requests_enabled: true,
      wiki_enabled: true,
      jobs_enabled: true,
      snippets_enabled: true,
      container_registry_enabled: true,
      service_desk_enabled: false,
      service_desk_address: null,
      can_create_merge_request_in: true,
      issues_access_level: 'enabled',
      repository_access_level: 'enabled',
      merge_requests_access_level: 'enabled',
      forking_access_level: 'enabled',
      wiki_access_level: 'enabled',
      builds_access_level: 'enabled',
      snippets_access_level: 'enabled',
      pages_access_level: 'private',
      analytics_access_level: 'enabled',
      container_registry_access_level: 'enabled',
      security_and_compliance_access_level: 'private',
      emails_disabled: false,
      emails_enabled: true,
      shared_runners_enabled: true,
      group_runners_enabled: true,
      lfs_enabled: true,
      creator_id: 1,
      import_url: null,
      import_type: null,
      import_status: 'none',
      import_error: null,
      open_issues_count: 0,
      updated_at: p.lastActivityAt,
      ci_default_git_depth: 20,
      ci_forward_deployment_enabled: true,
      ci_forward_deployment_rollback_allowed: true,
      ci_job_token_scope_enabled: false,
      ci_separated_caches: true,
      ci_allow_fork_pipelines_to_run_in_parent_project: true,
      ci_restrict_pipeline_cancellation_role: 'developer',
      ci_pipeline_variables_minimum_override_role: 'maintainer',
      build_git_strategy: 'fetch',
      keep_latest_artifact: true,
      restrict_user_defined_variables: false,
      runners_token: `GR1348941${SHA(String(p.id)).slice(0, 20)}`,
      runner_token_expiration_interval: null,
      group_runners_token: null,
      public_jobs: true,
      shared_with_groups: [],
      repository_storage: 'default',
      only_allow_merge_if_pipeline_succeeds: false,
      allow_merge_on_skipped_pipeline: null,
      request_access_enabled: true,
      only_allow_merge_if_all_discussions_are_resolved: false,
      remove_source_branch_after_merge: true,
      printing_merge_request_link_enabled: true,
      printing_merge_requests_link_enabled: true,
      merge_method: 'merge',
      squash_option: 'default_off',
      enforce_auth_checks_on_uploads: true,
      suggestion_commit_message: null,
      merge_commit_template: null,
      squash_commit_template: null,
      issue_branch_template: null,
      warn_about_potentially_unwanted_characters: true,
      autoclose_referenced_issues: true,
      auto_devops_enabled: false,
      auto_devops_deploy_strategy: 'continuous',
      mirror: false,
      mirror_user_id: null,
      mirror_trigger_builds: false,
      only_mirror_protected_branches: false,
      mirror_overwrites_diverged_branches: false,
      external_authorization_classification_label: null,
      marked_for_deletion_at: null,
      marked_for_deletion_on: null,
      compliance_frameworks: [],
      license_url: null,
      license: null,
      permissions: { project_access: null, group_access: { access_level: 50, notification_level: 3 } },
    };
  }

  function pageOf<T>(req: http.IncomingMessage, res: http.ServerResponse, all: T[], query: Record<string, string>): T[] {
    const perPage = Math.min(Math.max(Number(query['per_page'] ?? 20) || 20, 1), options.perPageMax ?? 100);
    const page = Math.max(Number(query['page'] ?? 1) || 1, 1);
    const totalPages = Math.max(Math.ceil(all.length / perPage), 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    const base = new URL(req.url ?? '/', url);
    const link = (p: number) => {
      const u = new URL(base);
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return u.toString();
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${link(page - 1)}>; rel="prev"`);
    if (page < totalPages) links.push(`<${link(page + 1)}>; rel="next"`);
    links.push(`<${link(1)}>; rel="first"`, `<${link(totalPages)}>; rel="last"`);
    res.setHeader('x-page', String(page));
    res.setHeader('x-per-page', String(perPage));
    res.setHeader('x-next-page', page < totalPages ? String(page + 1) : '');
    res.setHeader('x-prev-page', page > 1 ? String(page - 1) : '');
    res.setHeader('x-total', String(all.length));
    res.setHeader('x-total-pages', String(totalPages));
    res.setHeader('link', links.join(', '));
    return items;
  }

  function descendants(g: Group): Group[] {
    const out: Group[] = [];
    const walk = (id: number) => {
      for (const c of [...groups.values()].filter((x) => x.parentId === id).sort((a, b) => a.id - b.id)) {
        out.push(c);
        walk(c.id);
      }
    };
    walk(g.id);
    return out;
  }

  const truthy = (v: string | undefined) => v === 'true' || v === '1';

  async function api(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pathname: string,
    query: Record<string, string>,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    const method = req.method ?? 'GET';
    let m: RegExpMatchArray | null;
    const seg = (s: string) => decodeURIComponent(s);

    if (method === 'GET' && pathname === '/user') {
      const me: User = { id: 1, username: 'root', name: 'Administrator', email: 'admin@example.com', state: 'active', createdAt: '2025-01-01T00:00:00.000Z' };
      const profile = {
        locked: false,
        bio: '',
        bot: false,
        location: '',
        public_email: null,
        skype: '',
        linkedin: '',
        twitter: '',
        discord: '',
        website_url: '',
        pronouns: null,
        organization: '',
        job_title: '',
        work_information: null,
        followers: 0,
        following: 0,
        local_time: null,
        is_followed: false,
      };
      const account = {
        is_admin: true,
        last_sign_in_at: me.createdAt,
        confirmed_at: me.createdAt,
        last_activity_on: '2026-01-01',
        email: me.email,
        theme_id: 1,
        color_scheme_id: 1,
        projects_limit: 100000,
        current_sign_in_at: me.createdAt,
        note: null,
        identities: [],
        can_create_group: true,
        can_create_project: true,
        two_factor_enabled: false,
        external: false,
        private_profile: false,
        namespace_id: 1,
        created_by: null,
      };
      return { ...userJson(me), created_at: me.createdAt, ...profile, ...account };
    }
    if (method === 'GET' && pathname === '/personal_access_tokens/self')
      return {
        id: 1,
        name: 'atrium',
        revoked: false,
        created_at: '2025-01-01T00:00:00Z',
        scopes: ['api', 'read_repository'],
        user_id: 1,
        last_used_at: null,
        active: true,
        expires_at: null,
      };

    if (method === 'GET' && (m = pathname.match(/^\/groups\/([^/]+)$/))) {
      // GET /groups/:id is the expanded form (ExpandedGroupSchema).
      const g = findGroup(seg(m[1]!));
      return {
        ...groupJson(g),
        runners_token: `GR1348941${SHA(String(g.id)).slice(0, 20)}`,
        file_template_project_id: null,
        shared_with_groups: [],
        shared_projects: [],
        prevent_sharing_groups_outside_hierarchy: false,
      };
    }
    if (method === 'GET' && (m = pathname.match(/^\/groups\/([^/]+)\/(descendant_groups|subgroups)$/))) {
      const g = findGroup(seg(m[1]!));
      const list = m[2] === 'subgroups' ? [...groups.values()].filter((x) => x.parentId === g.id) : descendants(g);
      return pageOf(req, res, list, query).map(groupJson);
    }
    if (method === 'GET' && (m = pathname.match(/^\/groups\/([^/]+)\/members(\/all)?$/))) {
      const g = findGroup(seg(m[1]!));
      const levels = new Map(g.members);
      if (m[2])
        for (let p = g.parentId; p !== null; p = groups.get(p)?.parentId ?? null)
          for (const [u, l] of groups.get(p)!.members) if (!levels.has(u)) levels.set(u, l);
      const list = [...levels.entries()].sort((a, b) => a[0] - b[0]).map(([u, l]) => memberJson(users.get(u)!, l));
      return pageOf(req, res, list, query);
    }
    if (method === 'GET' && (m = pathname.match(/^\/groups\/([^/]+)\/projects$/))) {
      const g = findGroup(seg(m[1]!));
      const ids = new Set([g.id, ...(truthy(query['include_subgroups']) ? descendants(g).map((d) => d.id) : [])]);
      let list = [...projects.values()].filter((p) => ids.has(p.namespaceId));
      if (query['archived'] !== undefined) list = list.filter((p) => p.archived === truthy(query['archived']));
      if (query['visibility']) list = list.filter((p) => p.visibility === query['visibility']);
      if (query['topic']) {
        const wanted = query['topic'].split(',');
        list = list.filter((p) => wanted.every((t) => p.topics.includes(t)));
      }
      if (query['search'])
        list = list.filter(
          (p) => p.name.toLowerCase().includes(query['search']!.toLowerCase()) || p.path.toLowerCase().includes(query['search']!.toLowerCase()),
        );
      const orderBy = query['order_by'] ?? 'created_at';
      list.sort((a, b) => (orderBy === 'id' ? a.id - b.id : a.createdAt.localeCompare(b.createdAt) || a.id - b.id));
      if ((query['sort'] ?? (orderBy === 'id' ? 'asc' : 'desc')) === 'desc') list.reverse();
      return pageOf(req, res, list, query).map(projectJson);
    }
    if (method === 'GET' && (m = pathname.match(/^\/namespaces\/([^/]+)$/))) {
      const ref = seg(m[1]!);
      const g = /^\d+$/.test(ref) ? groups.get(Number(ref)) : groupByPath(ref);
      if (!g) throw new HttpError(404, '404 Namespace Not Found');
      return namespaceJson(g);
    }
    if (method === 'GET' && (m = pathname.match(/^\/projects\/([^/]+)$/))) return projectJson(findProject(seg(m[1]!)));
    if (method === 'GET' && (m = pathname.match(/^\/projects\/([^/]+)\/repository\/files\/([^/]+)$/))) {
      const p = findProject(seg(m[1]!));
      const filePath = seg(m[2]!);
      const ref = query['ref'];
      if (!ref) throw new HttpError(400, 'ref is missing');
      const content = await readFile(p, filePath, ref);
      if (content === undefined) throw new HttpError(404, '404 File Not Found');
      const commit = SHA(`${p.id}:${p.lastActivityAt}`);
      return {
        file_name: path.posix.basename(filePath),
        file_path: filePath,
        size: Buffer.byteLength(content),
        encoding: 'base64',
        content: Buffer.from(content).toString('base64'),
        content_sha256: SHA256(content),
        ref,
        blob_id: SHA(`blob ${Buffer.byteLength(content)}\0${content}`),
        commit_id: commit,
        last_commit_id: commit,
        execute_filemode: false,
      };
    }
    if (method === 'POST' && pathname === '/projects') {
      const name = String(body['name'] ?? body['path'] ?? '');
      const projectPath = String(body['path'] ?? name);
      if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(projectPath) || projectPath.endsWith('.git')) throw new HttpError(400, 'path is invalid');
      const ns = body['namespace_id'] !== undefined ? groups.get(Number(body['namespace_id'])) : undefined;
      if (!ns) throw new HttpError(400, 'namespace is missing or not found');
      const full = `${ns.fullPath}/${projectPath}`;
      if (projectByPath(full)) throw new HttpError(400, JSON.stringify({ name: ['has already been taken'], path: ['has already been taken'] }));
      const p = addProjectSync({
        pathWithNamespace: full,
        name,
        description: (body['description'] as string) ?? null,
        visibility: (body['visibility'] as 'private') ?? 'private',
        defaultBranch: (body['default_branch'] as string) ?? 'main',
        topics: (body['topics'] as string[]) ?? [],
      });
      await initRepo(p);
      res.statusCode = 201;
      return projectJson(p);
    }
    if (method === 'POST' && (m = pathname.match(/^\/projects\/([^/]+)\/merge_requests$/))) {
      const p = findProject(seg(m[1]!));
      for (const k of ['source_branch', 'target_branch', 'title']) if (!body[k]) throw new HttpError(400, `${k} is missing`);
      if (p.repoDir) {
        const ok = await run('git', ['--git-dir', p.repoDir, 'rev-parse', '--verify', '-q', `refs/heads/${String(body['source_branch'])}`]).then(
          () => true,
          () => false,
        );
        if (!ok) throw new HttpError(400, JSON.stringify({ source_branch: ['is invalid'] }));
      }
      const mr = newMergeRequest(p, {
        title: String(body['title']),
        description: (body['description'] as string | undefined) ?? null,
        sourceBranch: String(body['source_branch']),
        targetBranch: String(body['target_branch']),
        author: 'root',
        draft: false,
        removeSourceBranch: (body['remove_source_branch'] as boolean | undefined) ?? null,
      });
      p.mergeRequests.push(mr);
      res.statusCode = 201;
      return mr;
    }
    if (method === 'POST' && (m = pathname.match(/^\/projects\/([^/]+)\/triggers$/))) {
      const p = findProject(seg(m[1]!));
      if (!body['description']) throw new HttpError(400, 'description is missing');
      const id = nextId++;
      const value = `glptt-${crypto.randomBytes(10).toString('hex')}`;
      p.triggerTokens.add(value);
      triggerIds.set(id, { project: p.id, token: value });
      const now = tick();
      res.statusCode = 201;
      return {
        id,
        description: body['description'],
        created_at: now,
        last_used: null,
        token: value,
        updated_at: now,
        owner: { id: 1, username: 'root', name: 'Administrator', state: 'active', avatar_url: '', web_url: `${url}/root` },
      };
    }
    if (method === 'DELETE' && (m = pathname.match(/^\/projects\/([^/]+)\/triggers\/(\d+)$/))) {
      const p = findProject(seg(m[1]!));
      const t = triggerIds.get(Number(m[2]));
      if (!t || t.project !== p.id) throw new HttpError(404, '404 Trigger Not Found');
      p.triggerTokens.delete(t.token);
      triggerIds.delete(Number(m[2]));
      res.statusCode = 204;
      return undefined;
    }
    if (method === 'POST' && (m = pathname.match(/^\/projects\/([^/]+)\/trigger\/pipeline$/))) {
      const p = findProject(seg(m[1]!));
      const triggerToken = String(query['token'] ?? body['token'] ?? '');
      const ref = String(query['ref'] ?? body['ref'] ?? '');
      if (!p.triggerTokens.has(triggerToken)) throw new HttpError(404, '404 Not Found');
      if (!ref) throw new HttpError(400, 'ref is missing');
      const variables: Record<string, string> = {};
      for (const [k, v] of Object.entries(body)) {
        const vm = k.match(/^variables\[(.+)\]$/);
        if (vm) variables[vm[1]!] = String(v);
      }
      const now = tick();
      const iid = p.pipelines.length + 1;
      const user = { id: 1, username: 'root', name: 'Administrator', state: 'active', avatar_url: '', web_url: `${url}/root` };
      const pipeline = {
        id: nextId++,
        iid,
        project_id: p.id,
        sha: SHA(`${p.id}:${ref}:${iid}`),
        ref,
        status: 'created',
        source: 'trigger',
        created_at: now,
        updated_at: now,
        web_url: `${webUrl(p.pathWithNamespace)}/-/pipelines/${iid}`,
        before_sha: '0000000000000000000000000000000000000000',
        tag: false,
        yaml_errors: null,
        user,
        started_at: null,
        finished_at: null,
        committed_at: null,
        duration: null,
        queued_duration: null,
        coverage: null,
        detailed_status: {
          icon: 'status_created',
          text: 'Created',
          label: 'created',
          group: 'created',
          tooltip: 'created',
          has_details: true,
          details_path: `/${p.pathWithNamespace}/-/pipelines/${iid}`,
          illustration: null,
          favicon: '/assets/ci_favicons/favicon_status_created.png',
        },
        variables,
      };
      p.pipelines.push(pipeline);
      res.statusCode = 201;
      return pipeline;
    }
    if (method === 'GET' && (m = pathname.match(/^\/projects\/([^/]+)\/pipelines$/))) {
      const p = findProject(seg(m[1]!));
      let list = [...p.pipelines];
      if (query['ref']) list = list.filter((x) => x['ref'] === query['ref']);
      if (query['status']) list = list.filter((x) => x['status'] === query['status']);
      list.sort((a, b) => Number(b['id']) - Number(a['id']));
      if (query['sort'] === 'asc') list.reverse();
      // The list answer is the short form (GitLab's "List project pipelines").
      const short = ['id', 'iid', 'project_id', 'sha', 'ref', 'status', 'source', 'created_at', 'updated_at', 'web_url'];
      return pageOf(
        req,
        res,
        list.map((x) => ({ ...Object.fromEntries(short.map((k) => [k, x[k]])), name: null })),
        query,
      );
    }
    if (method === 'GET' && (m = pathname.match(/^\/projects\/([^/]+)\/merge_requests$/))) {
      const p = findProject(seg(m[1]!));
      const state = query['state'] ?? 'all';
      let list = p.mergeRequests.filter((x) => state === 'all' || x['state'] === state);
      list = [...list].sort((a, b) => Number(b['iid']) - Number(a['iid']));
      if (query['sort'] === 'asc') list.reverse();
      return pageOf(req, res, list, query);
    }
    if (method === 'GET' && (m = pathname.match(/^\/projects\/([^/]+)\/repository\/commits$/))) {
      const p = findProject(seg(m[1]!));
      const head = await headCommit(p, query['ref_name'] ?? p.defaultBranch);
      // Only the head of a branch is served: a history of one commit.
      return pageOf(req, res, head ? [head] : [], query);
    }
    throw new HttpError(404, '404 Not Found');
  }

  async function readFile(p: Project, filePath: string, ref: string): Promise<string | undefined> {
    if (p.repoDir) {
      try {
        return (await run('git', ['--git-dir', p.repoDir, 'show', `${ref}:${filePath}`])).stdout;
      } catch {
        /* fall back to the in-memory files */
      }
    }
    return ref === p.defaultBranch ? p.files.get(filePath) : undefined;
  }

  function rateHeaders(res: http.ServerResponse): void {
    const now = Math.floor(Date.now() / 1000);
    if (rate.resetAt <= now) rate = { ...rate, remaining: rate.limit, resetAt: now + 60 };
    res.setHeader('RateLimit-Limit', String(rate.limit));
    res.setHeader('RateLimit-Observed', String(rate.limit - rate.remaining));
    res.setHeader('RateLimit-Remaining', String(Math.max(rate.remaining, 0)));
    res.setHeader('RateLimit-Reset', String(rate.resetAt));
    res.setHeader('RateLimit-ResetTime', new Date(rate.resetAt * 1000).toUTCString());
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
      }
      res.end(JSON.stringify({ message: String(e) }));
    });
  });

  function authorised(req: http.IncomingMessage): boolean {
    const given = req.headers['private-token'] ?? (req.headers.authorization?.match(/^Bearer (.+)$/)?.[1] || undefined);
    return given === token;
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    if (!u.pathname.startsWith('/api/v4/')) return gitHttp(req, res, u);
    const query = Object.fromEntries(u.searchParams);
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    const type = String(req.headers['content-type'] ?? '');
    if (raw.length > 0 && type.includes('application/json')) body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    else if (raw.length > 0 && (type.includes('multipart/form-data') || type.includes('application/x-www-form-urlencoded'))) {
      const form = (await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData()) as unknown as Iterable<[string, unknown]>;
      for (const [k, v] of form) body[k] = typeof v === 'string' ? v : '';
    }
    const pathname = u.pathname.slice('/api/v4'.length);
    requests.push({ method: req.method ?? 'GET', path: pathname, query, headers: req.headers, ...(raw.length ? { body } : {}) });
    res.setHeader('content-type', 'application/json');
    if (!authorised(req)) {
      res.statusCode = 401;
      res.end(JSON.stringify({ message: '401 Unauthorized' }));
      return;
    }
    rateHeaders(res);
    if (throttle.count > 0 || rate.remaining <= 0) {
      const retryAfter = throttle.count > 0 ? throttle.retryAfter : Math.max(rate.resetAt - Math.floor(Date.now() / 1000), 1);
      if (throttle.count > 0) throttle.count--;
      res.statusCode = 429;
      res.setHeader('Retry-After', String(retryAfter));
      res.setHeader('content-type', 'text/plain');
      res.end('Retry later\n');
      return;
    }
    rate.remaining--;
    rateHeaders(res);
    if (serverErrors.count > 0 && (!serverErrors.path || serverErrors.path.test(pathname))) {
      serverErrors.count--;
      res.statusCode = serverErrors.status;
      res.end(JSON.stringify({ message: `${serverErrors.status} Internal Server Error` }));
      return;
    }
    try {
      const result = await api(req, res, pathname, query, body);
      if (res.statusCode === 204) res.end();
      else res.end(JSON.stringify(result));
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      res.statusCode = e.status;
      res.end(
        JSON.stringify(
          e.status === 400 && e.message.startsWith('{')
            ? { message: JSON.parse(e.message) }
            : e.status >= 400 && e.status < 500 && e.message.includes('missing')
              ? { error: e.message }
              : { message: e.message },
        ),
      );
    }
  }

  /** git smart HTTP for projects with a repository, through `git http-backend` (CGI). */
  async function gitHttp(req: http.IncomingMessage, res: http.ServerResponse, u: URL): Promise<void> {
    const m = u.pathname.match(/^\/(.+?\.git)(\/.*)$/);
    const project = m ? projectByPath(m[1]!.replace(/\.git$/, '')) : undefined;
    if (!m || !project?.repoDir) {
      res.statusCode = 404;
      res.end('Not Found');
      return;
    }
    const auth = req.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    const password = auth ? Buffer.from(auth, 'base64').toString('utf8').split(':').slice(1).join(':') : undefined;
    if (password !== token) {
      res.statusCode = 401;
      res.setHeader('WWW-Authenticate', 'Basic realm="GitLab"');
      res.end('HTTP Basic: Access denied');
      return;
    }
    const input = await readBody(req);
    const child = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: reposDir,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${m[1]}${m[2]}`,
        REQUEST_METHOD: req.method ?? 'GET',
        QUERY_STRING: u.search.slice(1),
        CONTENT_TYPE: String(req.headers['content-type'] ?? ''),
        CONTENT_LENGTH: String(input.length),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        REMOTE_USER: 'oauth2',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stdin.end(input);
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    const all = Buffer.concat(out);
    const split = all.indexOf('\r\n\r\n');
    const head = all.subarray(0, split).toString('utf8');
    res.statusCode = 200;
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') res.statusCode = Number(v.split(' ')[0]);
      else if (k) res.setHeader(k, v);
    }
    res.end(all.subarray(split + 4));
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/v4`,
    token,
    addGroup,
    addUser,
    addMember,
    addProject: addProjectSync,
    async addProjectWithRepo(input) {
      const p = addProjectSync(input);
      await initRepo(p);
      return p;
    },
    addTriggerToken(pathWithNamespace, triggerToken) {
      const p = projectByPath(pathWithNamespace);
      if (!p) throw new Error(`fake GitLab: no project ${pathWithNamespace}`);
      p.triggerTokens.add(triggerToken);
    },
    project(ref) {
      return typeof ref === 'number' ? projects.get(ref) : projectByPath(ref);
    },
    setFile(pathWithNamespace, filePath, content) {
      const p = projectByPath(pathWithNamespace);
      if (!p) throw new Error(`fake GitLab: no project ${pathWithNamespace}`);
      if (content === undefined) p.files.delete(filePath);
      else p.files.set(filePath, content);
      p.lastActivityAt = tick();
    },
    renameProject(from, to) {
      const p = projectByPath(from);
      if (!p) throw new Error(`fake GitLab: no project ${from}`);
      const parts = to.split('/');
      const ns = groupByPath(parts.slice(0, -1).join('/'));
      if (!ns) throw new Error(`fake GitLab: no group for ${to}`);
      p.pathWithNamespace = to;
      p.path = parts[parts.length - 1]!;
      p.name = p.path;
      p.namespaceId = ns.id;
      p.lastActivityAt = tick();
    },
    removeProject(pathWithNamespace) {
      const p = projectByPath(pathWithNamespace);
      if (p) projects.delete(p.id);
    },
    setRateLimit(limit, remaining, resetInSeconds = 60) {
      rate = { limit, remaining, resetAt: Math.floor(Date.now() / 1000) + resetInSeconds };
    },
    throttleNext(count, retryAfterSeconds) {
      throttle = { count, retryAfter: retryAfterSeconds };
    },
    addPipeline(pathWithNamespace, input = {}) {
      const p = projectByPath(pathWithNamespace);
      if (!p) throw new Error(`fake GitLab: no project ${pathWithNamespace}`);
      const ref = input.ref ?? p.defaultBranch;
      const pipeline = newPipeline(p, {
        ref,
        status: input.status ?? 'success',
        source: input.source ?? 'push',
        user: input.user ?? 'root',
        ...(ref === p.defaultBranch && !p.repoDir ? { sha: SHA(`${p.id}:${p.lastActivityAt}`) } : {}),
      });
      p.pipelines.push(pipeline);
      return pipeline.id;
    },
    openMergeRequest(pathWithNamespace, input) {
      const p = projectByPath(pathWithNamespace);
      if (!p) throw new Error(`fake GitLab: no project ${pathWithNamespace}`);
      const mr = newMergeRequest(p, {
        title: input.title,
        description: input.description ?? null,
        sourceBranch: input.sourceBranch ?? `change-${p.mergeRequests.length + 1}`,
        targetBranch: p.defaultBranch,
        author: input.author,
        draft: input.draft ?? false,
        removeSourceBranch: null,
      });
      p.mergeRequests.push(mr);
      return mr.iid;
    },
    commit(pathWithNamespace, c) {
      const p = projectByPath(pathWithNamespace);
      if (!p) throw new Error(`fake GitLab: no project ${pathWithNamespace}`);
      p.lastActivityAt = tick();
      p.lastCommit = { message: c.message, author: c.author };
      return SHA(`${p.id}:${p.lastActivityAt}`);
    },
    failNext(count, status = 500, only) {
      serverErrors = { count, status, ...(only ? { path: only.path } : {}) };
    },
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(reposDir, { recursive: true, force: true });
    },
  };
}
