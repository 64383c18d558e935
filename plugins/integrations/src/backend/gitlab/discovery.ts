import { randomUUID } from 'node:crypto';
import type { Logger } from '@atrium/backend-plugin-api';
import type { CatalogService, DeferredEntity, EntityProviderConnection } from '@atrium/plugin-catalog/backend';
import type { Knex } from 'knex';
import type { DiscoveryStatus } from '../../common/index.js';
import { createGitLabClient, GitLabApiError, GitLabRateLimitedError, isNotFound, type GitLabClient, type GitLabRateState } from './client.js';
import type { GitLabDiscoveryConfig } from './config.js';
import { checkBranch, checkProjectPath, parseDescriptor } from './descriptor.js';
import { buildOrgEntities } from './orgEntities.js';

/** A discovery target with the credentials of its host resolved. */
export interface GitLabTarget extends GitLabDiscoveryConfig {
  id: string;
  apiBaseUrl: string;
  token: string;
  /** The admin-added integration it belongs to (undefined: from the config file). */
  integrationId?: string;
}

/** The project fields discovery reads (GitLab's project resource). */
interface ProjectLike {
  id: number;
  path_with_namespace: string;
  path: string;
  web_url: string;
  default_branch?: string | null;
  last_activity_at?: string;
  topics?: string[] | null;
  visibility?: string;
  archived?: boolean;
  empty_repo?: boolean;
}

interface TargetRow {
  id: string;
  status: 'idle' | 'scanning' | 'paused' | 'error';
  scan_id: string | null;
  next_page: number;
  paused_until: Date | string | null;
  pause_reason: string | null;
  last_error: string | null;
  scan_started_at: Date | string | null;
  scan_finished_at: Date | string | null;
  projects_seen: number;
  rate_limit: number | null;
  rate_remaining: number | null;
  rate_reset_at: Date | string | null;
  api_calls: string | number;
}

interface ProjectRow {
  target_id: string;
  project_id: string | number;
  path_with_namespace: string;
  web_url: string;
  default_branch: string | null;
  last_activity_at: string | null;
  included: boolean;
  blob_id: string | null;
  has_descriptor: boolean;
  entities: DeferredEntity[];
  errors: Array<{ path?: string; message: string }>;
  seen_scan: string | null;
}

export type ScanOutcome =
  | { outcome: 'finished'; projects: number; entities: number; errors: number }
  | { outcome: 'paused'; until: Date; reason: string }
  | { outcome: 'skipped'; reason: string };

/** Descriptor reads in flight per target. */
const READ_CONCURRENCY = 8;

const iso = (v: Date | string | null | undefined) => (v ? new Date(v).toISOString() : null);

/** Provider names allow letters, digits, `.`, `_`, `-`. */
export function providerSlug(id: string): string {
  return id
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 80);
}

/**
 * Discovery of one GitLab group and its subgroups, through the catalog's entity-provider contract:
 * - scans the group's projects (`GET /groups/:id/projects?include_subgroups=true`, 100 per page,
 *   offset pagination ordered by id so pages stay stable), page by page, persisting the next page;
 *   a rate limit longer than `maxRetryWaitSeconds` pauses the scan (`paused_until`) and the next run
 *   resumes at that page, also after a restart;
 * - reads each included project's descriptor from its default branch only when the project's
 *   `last_activity_at` or default branch changed since the last read, and parses it only when its
 *   `blob_id` changed (GitLab's REST API has no conditional requests on these resources);
 * - a project whose descriptor is invalid, or whose name or branch is refused, gets an error on
 *   that project alone; the others are applied;
 * - when a scan finishes, applies a full mutation of every project's entities (removing projects
 *   that are gone or no longer match); webhooks apply deltas for one project in between.
 */
export class GitLabDiscovery {
  readonly providerName: string;
  readonly orgProviderName: string;
  private connection: EntityProviderConnection | undefined;
  private orgConnection: EntityProviderConnection | undefined;
  private scanning: Promise<ScanOutcome> | undefined;
  private readonly nameFilter: RegExp | undefined;

  constructor(
    readonly target: GitLabTarget,
    private readonly deps: { db: Knex; logger: Logger; catalog: CatalogService; client?: () => GitLabClient },
  ) {
    this.providerName = `gitlab-${providerSlug(target.id)}`;
    this.orgProviderName = `gitlab-org-${providerSlug(target.id)}`;
    this.nameFilter = target.filters.name ? new RegExp(target.filters.name) : undefined;
  }

  /** Registers the providers (discovery, and the group sync when `syncOrg`). */
  async connect(): Promise<void> {
    await this.deps.db('gitlab_targets').insert({ id: this.target.id }).onConflict('id').ignore();
    await this.deps.catalog.registerEntityProvider({ name: this.providerName, connect: async (c) => void (this.connection = c) });
    if (this.target.syncOrg)
      await this.deps.catalog.registerEntityProvider({ name: this.orgProviderName, connect: async (c) => void (this.orgConnection = c) });
  }

  private async row(): Promise<TargetRow> {
    const row = await this.deps.db<TargetRow>('gitlab_targets').where({ id: this.target.id }).first();
    if (!row) throw new Error(`GitLab target ${this.target.id} is not connected`);
    return row;
  }

  private client(row?: TargetRow): GitLabClient {
    if (this.deps.client) return this.deps.client();
    const rate: Partial<GitLabRateState> = row
      ? { limit: row.rate_limit, remaining: row.rate_remaining, resetAt: row.rate_reset_at ? new Date(row.rate_reset_at).getTime() : null }
      : {};
    return createGitLabClient({ apiBaseUrl: this.target.apiBaseUrl, token: this.target.token, maxRetryWaitSeconds: this.target.maxRetryWaitSeconds, rate });
  }

  private readonly savedCalls = new WeakMap<GitLabClient, number>();

  /** Persists the client's rate state and the calls it made since the last save. */
  private async saveRate(client: GitLabClient): Promise<void> {
    const r = client.rate;
    const delta = r.calls - (this.savedCalls.get(client) ?? 0);
    this.savedCalls.set(client, r.calls);
    await this.deps
      .db('gitlab_targets')
      .where({ id: this.target.id })
      .update({
        rate_limit: r.limit,
        rate_remaining: r.remaining,
        rate_reset_at: r.resetAt ? new Date(r.resetAt) : null,
        api_calls: this.deps.db.raw('api_calls + ?', [delta]),
      });
  }

  /** One scan (or its continuation); concurrent calls share the run in flight. */
  scan(): Promise<ScanOutcome> {
    this.scanning ??= this.runScan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async runScan(): Promise<ScanOutcome> {
    const { db, logger } = this.deps;
    let row = await this.row();
    if (row.paused_until && new Date(row.paused_until).getTime() > Date.now()) {
      return { outcome: 'skipped', reason: `paused until ${iso(row.paused_until)}: ${row.pause_reason ?? 'rate limit'}` };
    }
    if (row.status !== 'scanning' && row.status !== 'paused' && !(row.status === 'error' && row.scan_id)) {
      await db('gitlab_targets').where({ id: this.target.id }).update({
        status: 'scanning',
        scan_id: randomUUID(),
        next_page: 1,
        projects_seen: 0,
        scan_started_at: new Date(),
        last_error: null,
        paused_until: null,
        pause_reason: null,
      });
      row = await this.row();
    } else {
      await db('gitlab_targets').where({ id: this.target.id }).update({ status: 'scanning', paused_until: null, pause_reason: null });
    }
    const scanId = row.scan_id!;
    const client = this.client(row);
    try {
      let page = row.next_page;
      for (;;) {
        const result = (await client.api.Groups.allProjects(this.target.group, {
          includeSubgroups: true,
          perPage: 100,
          page,
          orderBy: 'id',
          sort: 'asc',
          withShared: false,
          ...(this.target.filters.includeArchived ? {} : { archived: false }),
          ...(this.target.filters.visibility?.length === 1 ? { visibility: this.target.filters.visibility[0] } : {}),
          showExpanded: true,
          pagination: 'offset',
        } as never)) as unknown as { data: ProjectLike[]; paginationInfo: { next: number | null } };
        await this.processPage(client, result.data, scanId);
        const next = result.paginationInfo.next;
        await db('gitlab_targets')
          .where({ id: this.target.id })
          .update({ next_page: next ?? page, projects_seen: db.raw('projects_seen + ?', [result.data.length]) });
        await this.saveRate(client);
        if (!next) break;
        page = next;
      }
      // Gone (or moved out of the group) since the last scan: not listed in this one, and not
      // touched by a webhook since this scan started.
      await db('gitlab_projects')
        .where({ target_id: this.target.id })
        .andWhere((q) => q.whereNull('seen_scan').orWhereNot({ seen_scan: scanId }))
        .andWhere('checked_at', '<', new Date(row.scan_started_at ?? 0))
        .delete();
      const applied = await this.applyFull();
      await db('gitlab_targets').where({ id: this.target.id }).update({ status: 'idle', next_page: 1, scan_finished_at: new Date(), last_error: null });
      if (this.target.syncOrg) {
        await this.syncOrg(client).catch((e) => {
          if (e instanceof GitLabRateLimitedError) throw e;
          logger.warn({ err: e, target: this.target.id }, `GitLab: group sync of ${this.target.group} failed: ${(e as Error).message}`);
        });
      }
      await this.saveRate(client);
      const projects = await db('gitlab_projects').where({ target_id: this.target.id }).count<{ count: string }[]>('* as count');
      logger.info({ target: this.target.id, ...applied }, `GitLab: discovery of ${this.target.group} finished`);
      return { outcome: 'finished', projects: Number(projects[0]?.count ?? 0), ...applied };
    } catch (e) {
      await this.saveRate(client).catch(() => undefined);
      if (e instanceof GitLabRateLimitedError) {
        await db('gitlab_targets').where({ id: this.target.id }).update({ status: 'paused', paused_until: e.until, pause_reason: e.reason });
        logger.warn(
          { target: this.target.id, until: e.until.toISOString() },
          `GitLab: discovery of ${this.target.group} paused by the rate limit (${e.reason}); it resumes after ${e.until.toISOString()}`,
        );
        return { outcome: 'paused', until: e.until, reason: e.reason };
      }
      const message = e instanceof GitLabApiError && e.status === 401 ? `the token was refused (401): ${e.description}` : (e as Error).message;
      await db('gitlab_targets').where({ id: this.target.id }).update({ status: 'error', last_error: message });
      logger.error({ err: e, target: this.target.id }, `GitLab: discovery of ${this.target.group} failed: ${message}`);
      throw e;
    }
  }

  private included(p: ProjectLike): boolean {
    const f = this.target.filters;
    if (!f.includeArchived && p.archived) return false;
    if (f.visibility?.length && !f.visibility.includes(p.visibility as 'private')) return false;
    if (f.topics?.length && !(p.topics ?? []).some((t) => f.topics!.includes(t))) return false;
    if (this.nameFilter) {
      const relative = p.path_with_namespace.slice(this.target.group.length + 1);
      if (!this.nameFilter.test(relative) && !this.nameFilter.test(p.path)) return false;
    }
    return true;
  }

  private locationKey(projectId: number): string {
    return `gitlab:${this.target.id}:project/${projectId}`;
  }

  /** Reads one project's descriptor when it may have changed; stores what it yields. Returns the row. */
  /** One page of the listing: rows loaded at once, unchanged projects stamped in one update. */
  private async processPage(client: GitLabClient, projects: ProjectLike[], scanId: string): Promise<void> {
    const { db } = this.deps;
    if (projects.length === 0) return;
    const rows = await db<ProjectRow>('gitlab_projects')
      .where({ target_id: this.target.id })
      .whereIn(
        'project_id',
        projects.map((p) => p.id),
      );
    const byId = new Map(rows.map((r) => [Number(r.project_id), r]));
    const unchanged: number[] = [];
    const changed: ProjectLike[] = [];
    for (const p of projects) {
      const existing = byId.get(p.id);
      if (existing && this.unchanged(existing, p)) unchanged.push(p.id);
      else changed.push(p);
    }
    // Changed projects are read a few at a time; the first failure (a rate limit) stops the page
    // once the reads in flight are done, and the page is listed again on resume.
    let failure: unknown;
    const queue = [...changed];
    const worker = async () => {
      for (let p = queue.shift(); p && failure === undefined; p = queue.shift()) {
        try {
          await this.processProject(client, p, scanId, byId.get(p.id) ?? null);
        } catch (e) {
          failure ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, changed.length) }, worker));
    if (failure !== undefined) throw failure;
    if (unchanged.length > 0) {
      await db('gitlab_projects').where({ target_id: this.target.id }).whereIn('project_id', unchanged).update({ seen_scan: scanId, checked_at: new Date() });
    }
  }

  /** Listed again with the same activity stamp, branch and path, and passing the filters and name checks as before. */
  private unchanged(existing: ProjectRow, p: ProjectLike): boolean {
    const branch = this.target.branch ?? p.default_branch ?? null;
    return (
      existing.last_activity_at === (p.last_activity_at ?? null) &&
      existing.default_branch === branch &&
      existing.path_with_namespace === p.path_with_namespace &&
      existing.included === (!checkProjectPath(p.path_with_namespace) && !(branch !== null && checkBranch(branch)) && this.included(p))
    );
  }

  private async processProject(client: GitLabClient, p: ProjectLike, scanId: string | null, preloaded?: ProjectRow | null): Promise<ProjectRow> {
    const { db } = this.deps;
    const existing =
      preloaded === undefined
        ? await db<ProjectRow>('gitlab_projects').where({ target_id: this.target.id, project_id: p.id }).first()
        : (preloaded ?? undefined);
    const pathError = checkProjectPath(p.path_with_namespace);
    const safeWeb = pathError ? '' : String(p.web_url ?? '');
    const branch = this.target.branch ?? p.default_branch ?? null;
    const base = {
      target_id: this.target.id,
      project_id: p.id,
      path_with_namespace: pathError ? String(p.path_with_namespace).slice(0, 500) : p.path_with_namespace,
      web_url: safeWeb,
      default_branch: branch,
      last_activity_at: p.last_activity_at ?? null,
      seen_scan: scanId ?? existing?.seen_scan ?? null,
      checked_at: new Date(),
    };
    let update: Partial<ProjectRow>;
    const branchError = branch === null ? undefined : checkBranch(branch);
    if (pathError || branchError) {
      update = { included: false, entities: [], errors: [{ message: (pathError ?? branchError)! }], blob_id: null, has_descriptor: false };
    } else if (!this.included(p)) {
      update = { included: false, entities: [], errors: [], blob_id: null, has_descriptor: false };
    } else if (branch === null || p.empty_repo) {
      update = { included: true, entities: [], errors: [], blob_id: null, has_descriptor: false };
    } else {
      update = await this.readDescriptor(client, p, branch, existing);
    }
    const row = { ...base, ...update } as Record<string, unknown>;
    if (row['entities'] !== undefined) row['entities'] = JSON.stringify(row['entities']);
    if (row['errors'] !== undefined) row['errors'] = JSON.stringify(row['errors']);
    const [stored] = await db<ProjectRow>('gitlab_projects')
      .insert({ included: false, entities: '[]', errors: '[]', ...row } as never)
      .onConflict(['target_id', 'project_id'])
      // Only what this read decided: an unchanged blob keeps the entities it yielded before.
      .merge(Object.keys(row).filter((k) => k !== 'target_id' && k !== 'project_id') as never)
      .returning('*');
    return stored as ProjectRow;
  }

  private async readDescriptor(client: GitLabClient, p: ProjectLike, branch: string, existing: ProjectRow | undefined): Promise<Partial<ProjectRow>> {
    const path = this.target.catalogPath;
    let file: { content: string; blob_id: string; size: number; encoding: string };
    try {
      file = (await client.api.RepositoryFiles.show(p.id, path, branch)) as unknown as typeof file;
    } catch (e) {
      if (isNotFound(e)) return { included: true, entities: [], errors: [], blob_id: null, has_descriptor: false };
      if (e instanceof GitLabRateLimitedError) throw e;
      if (e instanceof GitLabApiError && e.status === 401) throw e;
      return {
        included: true,
        entities: existing?.entities ?? [],
        errors: [{ path, message: `reading ${path} failed: ${(e as Error).message}` }],
        has_descriptor: existing?.has_descriptor ?? false,
      };
    }
    if (
      existing?.blob_id &&
      existing.blob_id === file.blob_id &&
      existing.errors.length === 0 &&
      existing.path_with_namespace === p.path_with_namespace &&
      existing.default_branch === branch
    ) {
      return { included: true }; // same blob: nothing to parse
    }
    if (file.size > this.target.maxFileBytes) {
      return {
        included: true,
        entities: [],
        errors: [{ path, message: `${path} is ${file.size} bytes, more than maxFileBytes (${this.target.maxFileBytes})` }],
        blob_id: file.blob_id,
        has_descriptor: true,
      };
    }
    const text = file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : String(file.content);
    const parsed = parseDescriptor(text, { id: p.id, pathWithNamespace: p.path_with_namespace, webUrl: p.web_url, branch }, path);
    if (parsed.error) return { included: true, entities: [], errors: [{ path, message: parsed.error }], blob_id: file.blob_id, has_descriptor: true };
    const key = this.locationKey(p.id);
    return {
      included: true,
      entities: parsed.entities.map((entity) => ({ entity, locationKey: key }) as DeferredEntity),
      errors: [],
      blob_id: file.blob_id,
      has_descriptor: true,
    };
  }

  private async applyFull(): Promise<{ entities: number; errors: number }> {
    const rows = await this.deps.db<ProjectRow>('gitlab_projects').where({ target_id: this.target.id, included: true }).orderBy('project_id');
    const entities = rows.flatMap((r) => r.entities);
    if (!this.connection) throw new Error(`GitLab provider ${this.providerName} is not connected`);
    const result = await this.connection.applyMutation({ type: 'full', entities });
    return { entities: entities.length, errors: result.errors.length + rows.filter((r) => r.errors.length > 0).length };
  }

  /** Re-reads one project now (a push, a created or renamed project) and applies what changed. */
  async refreshProject(ref: number | string): Promise<{ entities: number; errors: Array<{ message: string }> } | undefined> {
    const client = this.client(await this.row());
    let project: ProjectLike;
    try {
      project = (await client.api.Projects.show(ref)) as unknown as ProjectLike;
    } catch (e) {
      await this.saveRate(client).catch(() => undefined);
      if (isNotFound(e)) {
        if (typeof ref === 'number') await this.removeProject(ref);
        return undefined;
      }
      throw e;
    }
    const inGroup = project.path_with_namespace.toLowerCase().startsWith(`${this.target.group.toLowerCase()}/`);
    const before = await this.deps.db<ProjectRow>('gitlab_projects').where({ target_id: this.target.id, project_id: project.id }).first();
    if (!inGroup) {
      if (before) await this.removeProject(project.id);
      await this.saveRate(client);
      return undefined;
    }
    // null scan id: a webhook read keeps the row's scan stamp, and always re-reads the file.
    const row = await this.processProject(client, { ...project, last_activity_at: `${project.last_activity_at ?? ''}#webhook` }, null);
    await this.saveRate(client);
    const added = row.included ? row.entities : [];
    const addedRefs = new Set(added.map((d) => refOf(d.entity)));
    const removed = (before?.entities ?? []).filter((d) => !addedRefs.has(refOf(d.entity))).map((d) => ({ entityRef: refOf(d.entity) }));
    if (!this.connection) throw new Error(`GitLab provider ${this.providerName} is not connected`);
    const result = await this.connection.applyMutation({ type: 'delta', added, removed });
    return { entities: added.length, errors: [...row.errors, ...result.errors] };
  }

  /** A project was deleted (or left the group): its entities go. */
  async removeProject(projectId: number): Promise<number> {
    const before = await this.deps.db<ProjectRow>('gitlab_projects').where({ target_id: this.target.id, project_id: projectId }).first();
    if (!before) return 0;
    await this.deps.db('gitlab_projects').where({ target_id: this.target.id, project_id: projectId }).delete();
    if (before.entities.length > 0 && this.connection) {
      await this.connection.applyMutation({ type: 'delta', added: [], removed: before.entities.map((d) => ({ entityRef: refOf(d.entity) })) });
    }
    return before.entities.length;
  }

  /** The project known by this path, if discovery has seen it. */
  async projectIdByPath(pathWithNamespace: string): Promise<number | undefined> {
    const row = await this.deps
      .db<ProjectRow>('gitlab_projects')
      .whereRaw('lower(path_with_namespace) = lower(?)', [pathWithNamespace])
      .andWhere({ target_id: this.target.id })
      .first();
    return row ? Number(row.project_id) : undefined;
  }

  /** Whether a project path is inside this target's group. */
  covers(pathWithNamespace: string): boolean {
    return pathWithNamespace.toLowerCase().startsWith(`${this.target.group.toLowerCase()}/`);
  }

  /** The group, its subgroups and their direct members → Group and User entities. */
  async syncOrg(client = this.client()): Promise<{ entities: number; errors: number }> {
    const api = client.api;
    const root = (await api.Groups.show(this.target.group)) as unknown as GroupLike;
    const subgroups = (await api.Groups.allDescendantGroups(root.id, { perPage: 100 } as never)) as unknown as GroupLike[];
    const groups = [root, ...subgroups];
    const members = new Map<number, MemberLike[]>();
    for (const g of groups) members.set(g.id, (await api.GroupMembers.all(g.id, { perPage: 100 } as never)) as unknown as MemberLike[]);
    const entities = buildOrgEntities(this.target.id, groups, members);
    if (!this.orgConnection) throw new Error(`GitLab provider ${this.orgProviderName} is not connected`);
    const result = await this.orgConnection.applyMutation({ type: 'full', entities });
    await this.deps
      .db('gitlab_org_entities')
      .insert({ target_id: this.target.id, entities: JSON.stringify(entities), synced_at: new Date(), last_error: null })
      .onConflict('target_id')
      .merge();
    return { entities: entities.length, errors: result.errors.length };
  }

  async status(): Promise<DiscoveryStatus> {
    const row = await this.row();
    const projects = await this.deps.db<ProjectRow>('gitlab_projects').where({ target_id: this.target.id }).orderBy('path_with_namespace');
    const included = projects.filter((p) => p.included || p.errors.length > 0);
    return {
      targetId: this.target.id,
      ...(this.target.integrationId ? { integrationId: this.target.integrationId } : {}),
      owner: this.target.group,
      status: row.status,
      pausedUntil: iso(row.paused_until),
      pauseReason: row.pause_reason,
      lastError: row.last_error,
      scanStartedAt: iso(row.scan_started_at),
      scanFinishedAt: iso(row.scan_finished_at),
      reposScanned: projects.length,
      reposWithDescriptor: projects.filter((p) => p.has_descriptor).length,
      entities: projects.reduce((n, p) => n + (p.included ? p.entities.length : 0), 0),
      apiCalls: Number(row.api_calls),
      rateLimit: { limit: row.rate_limit, remaining: row.rate_remaining, resetAt: iso(row.rate_reset_at) },
      errors: projects.flatMap((p) => p.errors.map((e) => ({ repo: p.path_with_namespace, ...(e.path ? { path: e.path } : {}), message: e.message }))),
      repos: included.map((p) => ({
        name: p.path_with_namespace,
        url: p.web_url,
        entities: p.entities.length,
        hasDescriptor: p.has_descriptor,
        errors: p.errors.length,
      })),
    };
  }
}

export interface GroupLike {
  id: number;
  name: string;
  path: string;
  full_path: string;
  full_name?: string;
  description?: string | null;
  web_url?: string;
  parent_id: number | null;
}

export interface MemberLike {
  id: number;
  username: string;
  name: string;
  state: string;
  email?: string | null;
  avatar_url?: string | null;
  web_url?: string;
}

function refOf(entity: unknown): string {
  const e = entity as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return `${String(e.kind ?? '').toLowerCase()}:${(e.metadata?.namespace ?? 'default').toLowerCase()}/${String(e.metadata?.name ?? '').toLowerCase()}`;
}
