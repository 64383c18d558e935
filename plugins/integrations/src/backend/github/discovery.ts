import type { Logger } from '@atrium/backend-plugin-api';
import type { CatalogService, DeferredEntity, EntityProviderConnection } from '@atrium/plugin-catalog/backend';
import type { Knex } from 'knex';
import picomatch from 'picomatch';
import type { DiscoveryStatus } from '../../common/index.js';
import { createGitHubClient, rateLimitOf, RateLimitedError, type GitHubAuth, type GitHubClient } from './client.js';
import { blobUrl, generatedComponent, orgEntities, ownerFromCodeowners, parseDescriptor, toSummary, type RepoSummary } from './entities.js';
import { checkOwner, checkRef, checkRepoName, checkRepoPath, isGlob } from './names.js';

/** One thing to discover: an org or a user on a GitHub host, from config or an admin-added integration. */
export interface DiscoveryTarget {
  id: string;
  integrationId?: string;
  host: string;
  baseUrl: string;
  auth: GitHubAuth;
  org?: string;
  user?: string;
  catalogPath: string;
  filters: { topics?: string[]; name?: string; visibility?: string[]; includeArchived?: boolean };
  intervalSeconds: number;
  generateComponents: boolean;
  syncOrg: boolean;
  /** Checks an outbound URL (admin-supplied API roots go through the SSRF guard before each run). */
  guard?: (url: string) => Promise<void>;
}

interface RepoRow {
  target_id: string;
  repo_id: string | number;
  full_name: string;
  default_branch: string | null;
  pushed_at: string | null;
  included: boolean;
  meta: RepoSummary;
  etags: Record<string, string>;
  entities: DeferredEntity[];
  generated: DeferredEntity | null;
  errors: Array<{ path?: string; message: string }>;
  has_descriptor: boolean;
  checked_at: Date | null;
}

interface TargetRow {
  id: string;
  status: 'idle' | 'scanning' | 'paused' | 'error';
  next_page: number;
  paused_until: Date | string | null;
  pause_reason: string | null;
  last_error: string | null;
  scan_started_at: Date | string | null;
  scan_finished_at: Date | string | null;
  repos_seen: number;
  rate_remaining: number | null;
  rate_limit: number | null;
  rate_reset_at: Date | string | null;
  api_calls: string | number;
}

const PER_PAGE = 100;
const CONCURRENCY = 8;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const providerName = (prefix: string, targetId: string) => `${prefix}.${targetId.replace(/[^A-Za-z0-9._-]/g, '.')}`.slice(0, 100);

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * GitHub discovery: lists an org's (or user's) repositories 100 a page with conditional requests
 * (a `304` costs no rate limit), reads each included repository's descriptor from its default
 * branch only when the repository was pushed since the last look (again conditionally), and
 * hands the entities to the catalog through one entity provider per target. Progress (the next
 * page) and a rate-limit pause are stored, so a restart resumes where it stopped.
 */
export class GitHubDiscovery {
  private readonly connections = new Map<string, EntityProviderConnection>();
  private readonly orgConnections = new Map<string, EntityProviderConnection>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  readonly targets = new Map<string, DiscoveryTarget>();
  private stopped = false;

  constructor(
    private readonly db: Knex,
    private readonly catalog: CatalogService,
    private readonly logger: Logger,
  ) {}

  async addTarget(target: DiscoveryTarget): Promise<void> {
    this.targets.set(target.id, target);
    if (!this.connections.has(target.id)) {
      const name = providerName('github', target.id);
      await this.catalog.registerEntityProvider({ name, connect: async (c) => void this.connections.set(target.id, c) });
    }
    if (target.syncOrg && target.org && !this.orgConnections.has(target.id)) {
      await this.catalog.registerEntityProvider({
        name: providerName('github-org', target.id),
        connect: async (c) => void this.orgConnections.set(target.id, c),
      });
    }
    await this.db('github_targets').insert({ id: target.id }).onConflict('id').ignore();
    const row = await this.db<TargetRow>('github_targets').where({ id: target.id }).first();
    if (row?.paused_until && new Date(row.paused_until).getTime() > Date.now()) this.resumeAt(target.id, new Date(row.paused_until));
  }

  /** Forgets a target and removes what it brought into the catalog. */
  async removeTarget(targetId: string): Promise<void> {
    this.targets.delete(targetId);
    clearTimeout(this.timers.get(targetId));
    await this.running.get(targetId)?.catch(() => undefined);
    await this.connections.get(targetId)?.applyMutation({ type: 'full', entities: [] });
    await this.orgConnections.get(targetId)?.applyMutation({ type: 'full', entities: [] });
    for (const table of ['github_repos', 'github_list_pages']) await this.db(table).where({ target_id: targetId }).delete();
    await this.db('github_org_entities').where({ target_id: targetId }).delete();
    await this.db('github_targets').where({ id: targetId }).delete();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
  }

  private resumeAt(targetId: string, until: Date): void {
    clearTimeout(this.timers.get(targetId));
    const timer = setTimeout(
      () => void this.scan(targetId).catch((e: unknown) => this.logger.warn({ err: e, target: targetId }, 'github discovery: resume failed')),
      Math.max(0, until.getTime() - Date.now()) + 50,
    );
    timer.unref();
    this.timers.set(targetId, timer);
  }

  /** A GitHub App without an installation id: finds its installation on the org (or user) once. */
  async ensureInstallation(target: DiscoveryTarget): Promise<void> {
    const auth = target.auth;
    if ('token' in auth || auth.installationId) return;
    const asApp = createGitHubClient({ baseUrl: target.baseUrl, auth });
    const res = target.org
      ? await asApp.octokit.rest.apps.getOrgInstallation({ org: target.org })
      : await asApp.octokit.rest.apps.getUserInstallation({ username: target.user! });
    target.auth = { ...auth, installationId: res.data.id };
  }

  clientFor(target: DiscoveryTarget): GitHubClient {
    return createGitHubClient({ baseUrl: target.baseUrl, auth: target.auth, ...(target.org ? { org: target.org } : {}) });
  }

  /** Scans the targets that are due: never scanned, interrupted, resumable after a pause, or past their interval. */
  async runDue(now = Date.now()): Promise<void> {
    const rows = await this.db<TargetRow>('github_targets').whereIn('id', [...this.targets.keys()]);
    const due = rows.filter((r) => {
      const target = this.targets.get(r.id);
      if (!target) return false;
      if (r.paused_until && new Date(r.paused_until).getTime() > now) return false;
      if (r.status === 'scanning' || r.status === 'paused' || !r.scan_finished_at) return true;
      return new Date(r.scan_finished_at).getTime() + target.intervalSeconds * 1000 <= now;
    });
    await Promise.all(due.map((r) => this.scan(r.id)));
  }

  /** Runs (or joins) a scan of the target. */
  scan(targetId: string): Promise<void> {
    const running = this.running.get(targetId);
    if (running) return running;
    const run = this.doScan(targetId).finally(() => this.running.delete(targetId));
    this.running.set(targetId, run);
    return run;
  }

  private async doScan(targetId: string): Promise<void> {
    const target = this.targets.get(targetId);
    if (!target || this.stopped) return;
    const state = await this.db<TargetRow>('github_targets').where({ id: targetId }).first();
    if (!state) return;
    if (state.paused_until && new Date(state.paused_until).getTime() > Date.now()) return; // the timer resumes it
    const owner = target.org ?? target.user!;
    const ownerProblem = checkOwner(owner);
    if (ownerProblem) {
      await this.db('github_targets').where({ id: targetId }).update({ status: 'error', last_error: ownerProblem });
      return;
    }
    await target.guard?.(target.baseUrl);
    let client: GitHubClient;
    try {
      await this.ensureInstallation(target);
      client = this.clientFor(target);
    } catch (e) {
      await this.db('github_targets')
        .where({ id: targetId })
        .update({ status: 'error', last_error: `GitHub App installation: ${describeError(e)}` });
      return;
    }
    let page = state.status === 'scanning' || state.status === 'paused' ? state.next_page : 1;
    if (page === 1)
      await this.db('github_targets')
        .where({ id: targetId })
        .update({ status: 'scanning', next_page: 1, scan_started_at: new Date(), paused_until: null, pause_reason: null, last_error: null });
    else await this.db('github_targets').where({ id: targetId }).update({ status: 'scanning', paused_until: null, pause_reason: null });
    try {
      for (;;) {
        const { repos, last } = await this.listPage(target, client, page);
        await this.processRepos(target, client, repos, false);
        await this.db('github_targets')
          .where({ id: targetId })
          .update({ next_page: last ? 1 : page + 1, api_calls: this.db.raw('api_calls + ?', [client.calls]), ...this.rateColumns(client) });
        client.calls = 0;
        if (last) break;
        page += 1;
      }
      // Repositories no longer listed (deleted, transferred) are forgotten.
      const pages = await this.db('github_list_pages').where({ target_id: targetId }).andWhere('page', '>', page).delete();
      void pages;
      const listed: Array<{ repos: RepoSummary[] }> = await this.db('github_list_pages').where({ target_id: targetId }).select('repos');
      const ids = listed.flatMap((p) => p.repos.map((r) => String(r.id)));
      await this.db('github_repos')
        .where({ target_id: targetId })
        .whereNotIn('repo_id', ids.length ? ids : ['-1'])
        .delete();
      await this.applyFull(target);
      if (target.syncOrg && target.org) await this.syncOrg(target, client);
      await this.db('github_targets')
        .where({ id: targetId })
        .update({
          status: 'idle',
          next_page: 1,
          scan_finished_at: new Date(),
          repos_seen: ids.length,
          api_calls: this.db.raw('api_calls + ?', [client.calls]),
          ...this.rateColumns(client),
        });
    } catch (e) {
      const limited = e instanceof RateLimitedError ? e : rateLimitOf(e);
      if (limited) {
        await this.db('github_targets')
          .where({ id: targetId })
          .update({
            status: 'paused',
            next_page: page,
            paused_until: limited.until,
            pause_reason: limited.reason,
            api_calls: this.db.raw('api_calls + ?', [client.calls]),
            ...this.rateColumns(client),
          });
        this.logger.warn({ target: targetId, until: limited.until.toISOString() }, `github discovery of ${targetId} paused: ${limited.reason}`);
        this.resumeAt(targetId, limited.until);
        return;
      }
      const message = describeError(e);
      await this.db('github_targets').where({ id: targetId }).update({ status: 'error', last_error: message, next_page: page });
      this.logger.warn({ target: targetId }, `github discovery of ${targetId} failed: ${message}`);
    }
  }

  private rateColumns(client: GitHubClient) {
    return {
      ...(client.rate.remaining !== null ? { rate_remaining: client.rate.remaining } : {}),
      ...(client.rate.limit !== null ? { rate_limit: client.rate.limit } : {}),
      ...(client.rate.resetAt ? { rate_reset_at: new Date(client.rate.resetAt) } : {}),
    };
  }

  /** One page of the repository list, conditionally: a 304 reuses the stored page. */
  private async listPage(target: DiscoveryTarget, client: GitHubClient, page: number): Promise<{ repos: RepoSummary[]; last: boolean }> {
    const cached = (await this.db('github_list_pages').where({ target_id: target.id, page }).first()) as
      { etag: string | null; repos: RepoSummary[]; last: boolean } | undefined;
    const headers: Record<string, string> = cached?.etag ? { 'if-none-match': cached.etag } : {};
    try {
      const res = target.org
        ? await client.octokit.rest.repos.listForOrg({ org: target.org, type: 'all', per_page: PER_PAGE, page, headers })
        : await client.octokit.rest.repos.listForUser({ username: target.user!, type: 'owner', per_page: PER_PAGE, page, headers });
      const repos = (res.data as unknown as Array<Record<string, unknown>>).map(toSummary);
      const last = !/rel="next"/.test(String(res.headers.link ?? ''));
      const row = { target_id: target.id, page, etag: res.headers.etag ?? null, repos: JSON.stringify(repos), last };
      await this.db('github_list_pages').insert(row).onConflict(['target_id', 'page']).merge();
      return { repos, last };
    } catch (e) {
      if ((e as { status?: number }).status === 304 && cached) return { repos: cached.repos, last: cached.last };
      throw e;
    }
  }

  private included(target: DiscoveryTarget, repo: RepoSummary): boolean {
    const f = target.filters;
    if (repo.archived && !f.includeArchived) return false;
    if (f.visibility?.length && !f.visibility.includes(repo.visibility)) return false;
    if (f.topics?.length && !repo.topics.some((t) => f.topics!.includes(t))) return false;
    if (f.name && !new RegExp(f.name).test(repo.name)) return false;
    return true;
  }

  /** Reads the descriptors of repositories that are new or were pushed since the last look; stores the rows. */
  private async processRepos(target: DiscoveryTarget, client: GitHubClient, repos: RepoSummary[], force: boolean): Promise<RepoRow[]> {
    if (repos.length === 0) return [];
    const known = new Map(
      (
        await this.db<RepoRow>('github_repos')
          .where({ target_id: target.id })
          .whereIn(
            'repo_id',
            repos.map((r) => String(r.id)),
          )
      ).map((r) => [String(r.repo_id), r]),
    );
    const rows = await mapLimit(repos, CONCURRENCY, async (repo) => {
      const before = known.get(String(repo.id));
      const base = {
        target_id: target.id,
        repo_id: repo.id,
        full_name: repo.fullName,
        default_branch: repo.defaultBranch,
        pushed_at: repo.pushedAt,
        meta: repo,
      };
      const refused = checkRepoName(repo.name) ?? checkOwner(repo.owner) ?? checkRef(repo.defaultBranch);
      if (refused)
        return {
          ...base,
          included: false,
          etags: {},
          entities: [],
          generated: null,
          errors: [{ message: refused }],
          has_descriptor: false,
          checked_at: new Date(),
        } as RepoRow;
      if (!this.included(target, repo))
        return { ...base, included: false, etags: {}, entities: [], generated: null, errors: [], has_descriptor: false, checked_at: new Date() } as RepoRow;
      const unchanged =
        !force &&
        before?.checked_at &&
        before.included &&
        before.pushed_at === repo.pushedAt &&
        before.default_branch === repo.defaultBranch &&
        before.full_name === repo.fullName;
      if (unchanged) return { ...before!, meta: repo } as RepoRow;
      return this.readRepo(target, client, repo, before);
    });
    await this.db('github_repos')
      .insert(
        rows.map((r) => ({
          ...r,
          meta: JSON.stringify(r.meta),
          etags: JSON.stringify(r.etags),
          entities: JSON.stringify(r.entities),
          generated: r.generated ? JSON.stringify(r.generated) : null,
          errors: JSON.stringify(r.errors),
        })),
      )
      .onConflict(['target_id', 'repo_id'])
      .merge();
    return rows;
  }

  private async readRepo(target: DiscoveryTarget, client: GitHubClient, repo: RepoSummary, before: RepoRow | undefined): Promise<RepoRow> {
    const etags: Record<string, string> = {};
    const oldEtags = before?.full_name === repo.fullName && before.default_branch === repo.defaultBranch ? before.etags : {};
    const oldByPath = new Map<string, DeferredEntity[]>();
    for (const d of before?.entities ?? []) {
      const p = d.locationKey ?? '';
      oldByPath.set(p, [...(oldByPath.get(p) ?? []), d]);
    }
    const errors: Array<{ path?: string; message: string }> = [];
    const entities: DeferredEntity[] = [];
    const wanted = target.catalogPath.replace(/^\/+/, '');
    let paths: string[];
    if (isGlob(wanted)) {
      const tree = await this.conditional(client, oldEtags['#tree'], (headers) =>
        client.octokit.rest.git.getTree({ owner: repo.owner, repo: repo.name, tree_sha: repo.defaultBranch, recursive: 'true', headers }),
      );
      if (tree.status === 404) paths = [];
      else if (tree.status === 304) paths = Object.keys(oldEtags).filter((k) => k !== '#tree');
      else {
        const match = picomatch(wanted, { dot: false });
        paths = (tree.data as { tree: Array<{ path?: string; type?: string }> }).tree
          .filter((t) => t.type === 'blob' && t.path && match(t.path))
          .map((t) => t.path!);
      }
      if (tree.etag) etags['#tree'] = tree.etag;
    } else {
      paths = [wanted];
    }
    for (const path of paths.slice(0, 100)) {
      const refused = checkRepoPath(path);
      if (refused) {
        errors.push({ path, message: refused });
        continue;
      }
      const got = await this.conditional(client, oldEtags[path], (headers) =>
        client.octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path, ref: repo.defaultBranch, headers }),
      );
      if (got.status === 404) continue;
      if (got.etag) etags[path] = got.etag;
      if (got.status === 304) {
        const old = oldByPath.get(`url:${blobUrl(repo, path)}`);
        if (old) {
          entities.push(...old);
          continue;
        }
        // The stored entities are gone (an earlier error): read it again unconditionally.
        const again = await this.conditional(client, undefined, (headers) =>
          client.octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path, ref: repo.defaultBranch, headers }),
        );
        if (again.status !== 200) continue;
        got.data = again.data;
      }
      const file = got.data as { type?: string; content?: string; encoding?: string };
      if (file.type !== 'file' || typeof file.content !== 'string') {
        errors.push({ path, message: `${path} is not a file` });
        continue;
      }
      try {
        entities.push(...parseDescriptor(Buffer.from(file.content, 'base64').toString('utf8'), repo, path));
      } catch (e) {
        errors.push({ path, message: (e as Error).message });
        etags[path] = ''; // read it again next time (an empty ETag matches nothing)
      }
    }
    const hasDescriptor = entities.length > 0 || errors.length > 0;
    let generated: DeferredEntity | null = null;
    if (!hasDescriptor && target.generateComponents) generated = await this.generate(target, client, repo);
    return {
      target_id: target.id,
      repo_id: repo.id,
      full_name: repo.fullName,
      default_branch: repo.defaultBranch,
      pushed_at: repo.pushedAt,
      included: true,
      meta: repo,
      etags,
      entities,
      generated,
      errors,
      has_descriptor: hasDescriptor,
      checked_at: new Date(),
    };
  }

  /** A request with If-None-Match: 200 with data, 304, or 404; rate limits and other errors throw. */
  private async conditional(
    client: GitHubClient,
    etag: string | undefined,
    call: (headers: Record<string, string>) => Promise<{ data: unknown; headers: Record<string, unknown> }>,
  ): Promise<{ status: 200 | 304 | 404; data?: unknown; etag?: string }> {
    try {
      const res = await call(etag ? { 'if-none-match': etag } : {});
      return { status: 200, data: res.data, ...(typeof res.headers['etag'] === 'string' ? { etag: res.headers['etag'] } : {}) };
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 304) return { status: 304, ...(etag ? { etag } : {}) };
      if (status === 404) return { status: 404 };
      const limited = rateLimitOf(e);
      if (limited) throw limited;
      throw e;
    }
  }

  /** The generated Component: owner from CODEOWNERS, else a team with admin rights, else `group:default/<org>-admins`... */
  async generate(target: DiscoveryTarget, client: GitHubClient, repo: RepoSummary): Promise<DeferredEntity> {
    const org = target.org ?? target.user!;
    let owner: string | undefined;
    for (const path of ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']) {
      const got = await this.conditional(client, undefined, (headers) =>
        client.octokit.rest.repos.getContent({ owner: repo.owner, repo: repo.name, path, ref: repo.defaultBranch, headers }),
      );
      if (got.status === 200) {
        const content = (got.data as { content?: string }).content;
        if (content) owner = ownerFromCodeowners(Buffer.from(content, 'base64').toString('utf8'), org);
        if (owner) break;
      }
    }
    if (!owner && target.org) {
      try {
        const teams = await client.octokit.rest.repos.listTeams({ owner: repo.owner, repo: repo.name, per_page: 100 });
        const admin = (teams.data as Array<{ slug: string; permission: string }>).find((t) => t.permission === 'admin');
        if (admin) owner = `group:default/${admin.slug}`;
      } catch (e) {
        const limited = rateLimitOf(e);
        if (limited) throw limited;
      }
    }
    return generatedComponent(repo, owner ?? (target.org ? `group:default/${org}` : `user:default/${org}`));
  }

  /** Everything the target yields now, as one full mutation. */
  async applyFull(target: DiscoveryTarget): Promise<void> {
    const rows = await this.db<RepoRow>('github_repos').where({ target_id: target.id, included: true }).select('entities', 'generated');
    const entities = rows.flatMap((r) => [...r.entities, ...(target.generateComponents && r.generated ? [r.generated] : [])]);
    const result = await this.connections.get(target.id)?.applyMutation({ type: 'full', entities });
    if (result?.errors.length)
      this.logger.info({ target: target.id, errors: result.errors.length }, 'github discovery: some entities were refused by the catalog');
  }

  /** A push, rename, archive or creation: re-reads one repository and applies the difference at once. */
  async refreshRepository(targetId: string, raw: Record<string, unknown>, force = true): Promise<void> {
    const target = this.targets.get(targetId);
    if (!target) return;
    const repo = toSummary(raw);
    const before = await this.db<RepoRow>('github_repos')
      .where({ target_id: targetId, repo_id: String(repo.id) })
      .first();
    await this.ensureInstallation(target);
    const client = this.clientFor(target);
    try {
      const [row] = await this.processRepos(target, client, [repo], force);
      await this.db('github_targets')
        .where({ id: targetId })
        .update({ api_calls: this.db.raw('api_calls + ?', [client.calls]), ...this.rateColumns(client) });
      const next = row && row.included ? [...row.entities, ...(target.generateComponents && row.generated ? [row.generated] : [])] : [];
      const prev = before && before.included ? [...before.entities, ...(target.generateComponents && before.generated ? [before.generated] : [])] : [];
      await this.applyDelta(target, prev, next);
    } catch (e) {
      const limited = e instanceof RateLimitedError ? e : rateLimitOf(e);
      if (!limited) throw e;
      // Picked up by the next scan (the repository shows as pushed since the last look).
      this.logger.warn({ target: targetId, repo: repo.fullName }, `github webhook refresh deferred: ${limited.reason}`);
    }
  }

  async removeRepository(targetId: string, repoId: number): Promise<void> {
    const target = this.targets.get(targetId);
    if (!target) return;
    const before = await this.db<RepoRow>('github_repos')
      .where({ target_id: targetId, repo_id: String(repoId) })
      .first();
    await this.db('github_repos')
      .where({ target_id: targetId, repo_id: String(repoId) })
      .delete();
    if (before) await this.applyDelta(target, [...before.entities, ...(before.generated && target.generateComponents ? [before.generated] : [])], []);
  }

  private async applyDelta(target: DiscoveryTarget, prev: DeferredEntity[], next: DeferredEntity[]): Promise<void> {
    const refOf = (d: DeferredEntity) => `${d.entity.kind}:${d.entity.metadata.namespace ?? 'default'}/${d.entity.metadata.name}`.toLowerCase();
    const keep = new Set(next.map(refOf));
    const removed = prev.filter((d) => !keep.has(refOf(d))).map((d) => ({ entityRef: refOf(d) }));
    await this.connections.get(target.id)?.applyMutation({ type: 'delta', added: next, removed });
  }

  /** Teams and members → Group and User entities (full mutation on the target's org provider). */
  async syncOrg(target: DiscoveryTarget, given?: GitHubClient): Promise<void> {
    if (!target.org) return;
    await this.ensureInstallation(target);
    const client = given ?? this.clientFor(target);
    const teams = await client.octokit.paginate(client.octokit.rest.teams.list, { org: target.org, per_page: 100 });
    const withMembers = await mapLimit(teams, CONCURRENCY, async (t) => ({
      slug: t.slug,
      name: t.name,
      description: t.description ?? null,
      parent: t.parent?.slug ?? null,
      members: (await client.octokit.paginate(client.octokit.rest.teams.listMembersInOrg, { org: target.org!, team_slug: t.slug, per_page: 100 })).map(
        (m) => m.login,
      ),
    }));
    const entities = orgEntities(target.org, target.host, withMembers);
    await this.db('github_org_entities')
      .insert({ target_id: target.id, entities: JSON.stringify(entities), synced_at: new Date() })
      .onConflict('target_id')
      .merge();
    await this.orgConnections.get(target.id)?.applyMutation({ type: 'full', entities });
  }

  /** Targets whose org or user is `owner` on `host` (webhooks). */
  targetsFor(owner: string, host?: string): DiscoveryTarget[] {
    return [...this.targets.values()].filter((t) => (t.org ?? t.user ?? '').toLowerCase() === owner.toLowerCase() && (!host || t.host === host));
  }

  async status(targetIds: string[]): Promise<DiscoveryStatus[]> {
    const out: DiscoveryStatus[] = [];
    for (const id of targetIds) {
      const target = this.targets.get(id);
      const row = await this.db<TargetRow>('github_targets').where({ id }).first();
      const repos = await this.db<RepoRow>('github_repos').where({ target_id: id }).orderBy('full_name');
      const included = repos.filter((r) => r.included);
      out.push({
        targetId: id,
        ...(target?.integrationId ? { integrationId: target.integrationId } : {}),
        owner: target ? `${target.host}/${target.org ?? target.user}` : id,
        status: row?.status ?? 'idle',
        pausedUntil: iso(row?.paused_until ?? null),
        pauseReason: row?.pause_reason ?? null,
        lastError: row?.last_error ?? null,
        scanStartedAt: iso(row?.scan_started_at ?? null),
        scanFinishedAt: iso(row?.scan_finished_at ?? null),
        reposScanned: repos.length,
        reposWithDescriptor: included.filter((r) => r.has_descriptor).length,
        entities: included.reduce((n, r) => n + r.entities.length + (target?.generateComponents && r.generated ? 1 : 0), 0),
        apiCalls: Number(row?.api_calls ?? 0),
        rateLimit: { limit: row?.rate_limit ?? null, remaining: row?.rate_remaining ?? null, resetAt: iso(row?.rate_reset_at ?? null) },
        errors: repos.flatMap((r) => r.errors.map((e) => ({ repo: r.full_name, ...(e.path ? { path: e.path } : {}), message: e.message }))).slice(0, 200),
        repos: included
          .slice(0, 500)
          .map((r) => ({ name: r.full_name, url: r.meta.htmlUrl, entities: r.entities.length, hasDescriptor: r.has_descriptor, errors: r.errors.length })),
      });
    }
    return out;
  }

  /** What `generateComponents` would add: Components for included repositories without a descriptor (at most `limit`). */
  async preview(targetId: string, limit = 50): Promise<DeferredEntity[]> {
    const target = this.targets.get(targetId);
    if (!target) return [];
    const rows = await this.db<RepoRow>('github_repos').where({ target_id: targetId, included: true, has_descriptor: false }).orderBy('full_name').limit(limit);
    await this.ensureInstallation(target);
    const client = this.clientFor(target);
    return mapLimit(rows, CONCURRENCY, (r) => (r.generated ? Promise.resolve(r.generated) : this.generate(target, client, r.meta)));
  }
}

export function describeError(e: unknown): string {
  const err = e as { status?: number; message?: string; response?: { data?: { message?: string } } };
  if (err?.status === 401) return 'GitHub refused the credentials (401 Bad credentials): the token was revoked, expired or is wrong';
  if (err?.status === 404) return `Not found on GitHub (404): check the org or user name, and that the credentials can see it`;
  if (err?.status) return `GitHub answered ${err.status}: ${err.response?.data?.message ?? err.message ?? ''}`;
  return err?.message ?? String(e);
}
