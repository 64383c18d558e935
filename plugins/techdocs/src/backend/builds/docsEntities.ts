import { unnestColumns } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import type { BuildLogEntry, BuildStatus, DocsBuildInfo, DocsEntityDetail, DocsEntitySummary } from '../../common/index.js';

/** What TechDocs keeps of a catalog entity that has docs. */
export interface DocsEntityInfo {
  entityRef: string;
  namespace: string;
  kind: string;
  name: string;
  title: string;
  description: string | null;
  owner: string | null;
  specType: string | null;
  lifecycle: string | null;
  techdocsRef: string;
  locationRef: string | null;
}

export interface DocsEntityRow {
  entity_ref: string;
  namespace: string;
  kind: string;
  name: string;
  title: string;
  description: string | null;
  owner: string | null;
  spec_type: string | null;
  lifecycle: string | null;
  techdocs_ref: string;
  location_ref: string | null;
  site_name: string | null;
  build_requested_at: Date | string | null;
  force_build: boolean;
  claimed_by: string | null;
  claim_expires_at: Date | string | null;
  source_hash: string | null;
  revision: string | null;
  built_at: Date | string | null;
  last_result: 'built' | 'unchanged' | 'failed' | null;
  last_build_started_at: Date | string | null;
  last_build_finished_at: Date | string | null;
  last_build_duration_ms: number | null;
  warning_count: number;
  error_count: number;
  log: BuildLogEntry[] | string;
}

export interface FinishedBuild {
  outcome: 'built' | 'unchanged' | 'failed';
  durationMs: number;
  log: BuildLogEntry[];
  sourceHash: string | null;
  revision: string | null;
  siteName: string | null;
}

async function rows<T>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  return ((await db.raw(sql, bindings as Knex.RawBinding[])) as { rows: T[] }).rows;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function statusOf(row: DocsEntityRow, now = Date.now()): BuildStatus {
  if (row.claimed_by && row.claim_expires_at && new Date(row.claim_expires_at).getTime() > now) return 'building';
  if (row.build_requested_at) return 'queued';
  if (row.last_result === 'failed') return 'failed';
  if (row.built_at) return 'ready';
  return 'not-built';
}

export function buildInfoOf(row: DocsEntityRow): DocsBuildInfo {
  return {
    status: statusOf(row),
    lastResult: row.last_result,
    builtAt: iso(row.built_at),
    lastBuildStartedAt: iso(row.last_build_started_at),
    lastBuildFinishedAt: iso(row.last_build_finished_at),
    lastBuildDurationMs: row.last_build_duration_ms,
    warningCount: row.warning_count,
    errorCount: row.error_count,
  };
}

export function summaryOf(row: DocsEntityRow): DocsEntitySummary {
  return {
    entityRef: row.entity_ref,
    namespace: row.namespace,
    kind: row.kind,
    name: row.name,
    title: row.title,
    description: row.description,
    owner: row.owner,
    type: row.spec_type,
    lifecycle: row.lifecycle,
    siteName: row.site_name,
    build: buildInfoOf(row),
  };
}

export function detailOf(row: DocsEntityRow): DocsEntityDetail {
  const log = typeof row.log === 'string' ? (JSON.parse(row.log) as BuildLogEntry[]) : row.log;
  return { ...summaryOf(row), techdocsRef: row.techdocs_ref, log };
}

/**
 * The claim statement (see DocsEntities.claimMany): the heads of the expired-lease and request
 * lists, merged in queue order, taken under a new lease. Bindings from `claimBindings`.
 */
export const CLAIM_SQL = `with expired as (
     select entity_ref, force_build, build_requested_at from docs_entities
     where claimed_by is not null and claim_expires_at < now()
     order by force_build desc, build_requested_at nulls first
     limit ? for update skip locked),
   requested as (
     select entity_ref, force_build, build_requested_at from docs_entities
     where build_requested_at is not null and claimed_by is null and build_requested_at <= now()
     order by force_build desc, build_requested_at
     limit ? for update skip locked),
   next as (
     select * from expired union all select * from requested
     order by force_build desc, build_requested_at nulls first
     limit ?)
   update docs_entities d set claimed_by = ?, claim_expires_at = now() + make_interval(secs => ?),
     last_build_started_at = now(), build_requested_at = null, force_build = false
   from next where d.entity_ref = next.entity_ref
   returning d.*, next.force_build as requested_force, next.build_requested_at as requested_at`;

/** CLAIM_SQL's bindings: how far to read each list and how many to take, then the lease. */
export function claimBindings(replicaId: string, leaseSeconds: number, limit: number): Array<string | number> {
  return [limit, limit, limit, replicaId, leaseSeconds];
}

/**
 * The `docs_entities` table: documented entities, their build queue and build results.
 * A build is claimed with FOR UPDATE SKIP LOCKED plus a lease, so with several replicas one
 * builds a given entity at a time.
 */
export class DocsEntities {
  constructor(private readonly db: Knex) {}

  /** Inserts or refreshes an entity; a new one, or one whose docs source moved, is queued for a build. */
  async upsert(info: DocsEntityInfo): Promise<void> {
    await this.upsertMany([info]);
  }

  /**
   * upsert for many entities in one statement (following a bulk catalog change costs one write
   * per batch, not one per entity). A ref listed twice keeps its last info.
   */
  async upsertMany(infos: readonly DocsEntityInfo[]): Promise<void> {
    const byRef = new Map(infos.map((i) => [i.entityRef, i]));
    if (byRef.size === 0) return;
    const list = [...byRef.values()];
    const rows = unnestColumns([
      [list.map((i) => i.entityRef), 'text'],
      [list.map((i) => i.namespace), 'text'],
      [list.map((i) => i.kind), 'text'],
      [list.map((i) => i.name), 'text'],
      [list.map((i) => i.title), 'text'],
      [list.map((i) => i.description), 'text'],
      [list.map((i) => i.owner), 'text'],
      [list.map((i) => i.specType), 'text'],
      [list.map((i) => i.lifecycle), 'text'],
      [list.map((i) => i.techdocsRef), 'text'],
      [list.map((i) => i.locationRef), 'text'],
    ]);
    await this.db.raw(
      `insert into docs_entities (entity_ref, namespace, kind, name, title, description, owner, spec_type, lifecycle,
          techdocs_ref, location_ref, build_requested_at, updated_at)
       select u.*, now(), now() from ${rows.sql} as u
       on conflict (entity_ref) do update set
         namespace = excluded.namespace, kind = excluded.kind, name = excluded.name, title = excluded.title,
         description = excluded.description, owner = excluded.owner, spec_type = excluded.spec_type,
         lifecycle = excluded.lifecycle, techdocs_ref = excluded.techdocs_ref, location_ref = excluded.location_ref,
         build_requested_at = case
           when docs_entities.techdocs_ref is distinct from excluded.techdocs_ref
             or docs_entities.location_ref is distinct from excluded.location_ref
           then coalesce(docs_entities.build_requested_at, now())
           else docs_entities.build_requested_at end,
         updated_at = now()`,
      rows.bindings as Knex.RawBinding[],
    );
  }

  async delete(entityRef: string): Promise<boolean> {
    return (await this.db('docs_entities').where({ entity_ref: entityRef }).delete()) > 0;
  }

  /** Which of these refs have a row (one query, for following catalog changes in batches). */
  async existing(entityRefs: string[]): Promise<Set<string>> {
    if (entityRefs.length === 0) return new Set();
    // One array parameter, not one placeholder per ref (the sync asks about 500 at a time; any number works).
    const rows = (await this.db('docs_entities').whereRaw('entity_ref = any(?::text[])', [entityRefs]).select('entity_ref')) as Array<{ entity_ref: string }>;
    return new Set(rows.map((r) => r.entity_ref));
  }

  async allRefs(): Promise<string[]> {
    return (await this.db('docs_entities').select('entity_ref')).map((r: { entity_ref: string }) => r.entity_ref);
  }

  async get(entityRef: string): Promise<DocsEntityRow | undefined> {
    return this.db<DocsEntityRow>('docs_entities').where({ entity_ref: entityRef }).first();
  }

  /**
   * Queues a build now; `force` rebuilds even when the source hash is unchanged. `record` writes
   * the audit record in the same transaction (only when the entity has docs).
   */
  async requestBuild(entityRef: string, force: boolean, record?: (trx: Knex.Transaction) => Promise<void>): Promise<DocsEntityRow | undefined> {
    return this.db.transaction(async (trx) => {
      const [row] = await rows<DocsEntityRow>(
        trx,
        `update docs_entities set build_requested_at = coalesce(build_requested_at, now()), force_build = force_build or ?
         where entity_ref = ? returning *`,
        [force, entityRef],
      );
      if (row) await record?.(trx);
      return row;
    });
  }

  /** Queues a source check for every entity not checked within `seconds`. */
  async requestDueChecks(seconds: number): Promise<number> {
    const result = (await this.db.raw(
      `update docs_entities set build_requested_at = now()
       where build_requested_at is null
         and (last_build_finished_at is null or last_build_finished_at < now() - make_interval(secs => ?))`,
      [seconds],
    )) as { rowCount?: number; affectedRows?: number };
    return result.rowCount ?? result.affectedRows ?? 0;
  }

  /**
   * Claims the next queued build (or one whose builder died: lease expired). The request is
   * cleared at claim time, so a request made while the build runs queues a new build.
   * `requested_force` is the force flag of the request being served.
   */
  async claim(replicaId: string, leaseSeconds: number): Promise<(DocsEntityRow & { requested_force: boolean }) | undefined> {
    return (await this.claimMany(replicaId, leaseSeconds, 1))[0];
  }

  /**
   * claim for up to `limit` builds at once, in queue order (each under the same lease). The queue
   * is two index-ordered lists, each read only as far as `limit` unlocked rows: leases that expired
   * (few; `docs_entities_leases`) and unclaimed requests (`docs_entities_queue`, forced first then
   * oldest). The two heads are merged in queue order, so a claim costs the same with 30 or 30,000
   * requests waiting. Rows read but not taken stay locked only until this statement commits; a
   * concurrent claimer skips them and takes the next ones.
   */
  async claimMany(replicaId: string, leaseSeconds: number, limit: number): Promise<Array<DocsEntityRow & { requested_force: boolean }>> {
    const size = Math.max(1, Math.floor(limit));
    const claimed = await rows<DocsEntityRow & { requested_force: boolean; requested_at: Date | string | null }>(
      this.db,
      CLAIM_SQL,
      claimBindings(replicaId, leaseSeconds, size),
    );
    // In queue order (RETURNING has none): forced first, then expired leases, then the oldest request.
    const queuedAt = (r: { requested_at: Date | string | null }) => (r.requested_at === null ? -Infinity : new Date(r.requested_at).getTime());
    return claimed
      .sort((a, b) => Number(b.requested_force) - Number(a.requested_force) || queuedAt(a) - queuedAt(b))
      .map(({ requested_at: _at, ...row }) => row);
  }

  /** Records a finished build and releases the claim. */
  async finish(entityRef: string, replicaId: string, b: FinishedBuild): Promise<void> {
    await this.finishMany(replicaId, [{ entityRef, ...b }]);
  }

  /**
   * Records finished builds and releases their claims, in one statement. A build whose claim this
   * replica no longer holds (its lease expired and another replica took it) is not recorded.
   */
  async finishMany(replicaId: string, builds: ReadonlyArray<FinishedBuild & { entityRef: string }>): Promise<void> {
    if (builds.length === 0) return;
    const records = builds.map((b) => ({
      entity_ref: b.entityRef,
      outcome: b.outcome,
      duration_ms: Math.round(b.durationMs),
      log: b.log,
      warnings: b.log.filter((e) => e.level === 'warning').length,
      errors: b.log.filter((e) => e.level === 'error').length,
      source_hash: b.sourceHash,
      revision: b.revision,
      site_name: b.siteName,
    }));
    // An unchanged source keeps the log of the build that made the site being served.
    await this.db.raw(
      `update docs_entities d set
         claimed_by = null, claim_expires_at = null,
         last_result = b.outcome,
         last_build_finished_at = now(), last_build_duration_ms = b.duration_ms,
         log = case when b.outcome = 'unchanged' and d.last_result is distinct from 'failed' then d.log else b.log end,
         warning_count = case when b.outcome = 'unchanged' and d.last_result is distinct from 'failed' then d.warning_count else b.warnings end,
         error_count = case when b.outcome = 'unchanged' and d.last_result is distinct from 'failed' then d.error_count else b.errors end,
         source_hash = case when b.outcome = 'built' then b.source_hash else d.source_hash end,
         revision = case when b.outcome = 'built' then b.revision else d.revision end,
         site_name = case when b.outcome = 'built' then b.site_name else d.site_name end,
         built_at = case when b.outcome = 'built' then now() else d.built_at end
       from jsonb_to_recordset(?::jsonb) as b(entity_ref text, outcome text, duration_ms integer, log jsonb, warnings integer, errors integer,
         source_hash text, revision text, site_name text)
       where d.entity_ref = b.entity_ref and d.claimed_by = ?`,
      [JSON.stringify(records), replicaId],
    );
  }

  /** Gives back claimed builds that were not started (stopping): queued again (forced ones still forced), for any replica. */
  async release(builds: ReadonlyArray<{ entityRef: string; force: boolean }>, replicaId: string): Promise<void> {
    if (builds.length === 0) return;
    await this.db.raw(
      `update docs_entities d set claimed_by = null, claim_expires_at = null,
         build_requested_at = coalesce(d.build_requested_at, now()), force_build = d.force_build or u.force
       from unnest(?::text[], ?::boolean[]) as u(entity_ref, force)
       where d.entity_ref = u.entity_ref and d.claimed_by = ?`,
      [builds.map((b) => b.entityRef), builds.map((b) => b.force), replicaId],
    );
  }

  /** Extends the leases of builds this replica holds (claimed and not yet recorded). */
  async renewMany(entityRefs: readonly string[], replicaId: string, leaseSeconds: number): Promise<void> {
    if (entityRefs.length === 0) return;
    await this.db.raw(`update docs_entities set claim_expires_at = now() + make_interval(secs => ?) where entity_ref = any(?::text[]) and claimed_by = ?`, [
      leaseSeconds,
      [...entityRefs],
      replicaId,
    ]);
  }

  /** Extends a running build's lease. */
  async renew(entityRef: string, replicaId: string, leaseSeconds: number): Promise<void> {
    await this.db.raw(`update docs_entities set claim_expires_at = now() + make_interval(secs => ?) where entity_ref = ? and claimed_by = ?`, [
      leaseSeconds,
      entityRef,
      replicaId,
    ]);
  }

  /** `visible`: only these refs (the caller's readable entities); undefined: all. */
  async list(q: { term?: string; owner?: string; limit: number; offset: number; visible?: string[] }): Promise<{ rows: DocsEntityRow[]; total: number }> {
    const base = this.db<DocsEntityRow>('docs_entities');
    const apply = (b: Knex.QueryBuilder) => {
      if (q.visible) b.whereRaw('entity_ref = any(?::text[])', [q.visible]);
      if (q.owner) b.where('owner', q.owner);
      if (q.term) {
        const like = `%${q.term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        b.where((w) =>
          w.whereRaw('lower(title) like ?', [like]).orWhereRaw('lower(name) like ?', [like]).orWhereRaw("lower(coalesce(site_name, '')) like ?", [like]),
        );
      }
      return b;
    };
    const [countRow] = await apply(base.clone()).count<{ count: string | number }[]>({ count: '*' });
    const found = (await apply(base.clone()).select('*').orderByRaw('lower(title), entity_ref').limit(q.limit).offset(q.offset)) as DocsEntityRow[];
    return { rows: found, total: Number(countRow?.count ?? 0) };
  }

  /** Owners with their number of documented entities; `visible`: counting only these refs. */
  async owners(visible?: string[]): Promise<Array<{ owner: string; count: number }>> {
    const base = this.db('docs_entities');
    if (visible) base.whereRaw('entity_ref = any(?::text[])', [visible]);
    const found = (await base.whereNotNull('owner').select('owner').count({ count: '*' }).groupBy('owner').orderBy('owner')) as Array<{
      owner: string;
      count: string | number;
    }>;
    return found.map((r) => ({ owner: r.owner, count: Number(r.count) }));
  }
}
