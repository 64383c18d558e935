import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EventLogService } from '@atrium/backend-plugin-api';
import {
  COUNTED_STATUSES,
  isMet,
  MET_STATUSES,
  UNMET_STATUSES,
  type EntityFacts,
  type EntityScorecardResult,
  type Exemption,
  type HistoryPoint,
  type RuleResult,
  type RuleTally,
} from '../common/index.js';

export interface StoredFacts {
  facts: EntityFacts;
  entityHash: string;
  entityChangedAt: Date;
  /** Hash of everything the last evaluation depended on; null when never evaluated. */
  inputHash: string | null;
}

export interface ResultRow {
  entityRef: string;
  scorecardId: string;
  owner: string | null;
  level: string | null;
  levelRank: number;
  points: number;
  maxPoints: number;
  rules: RuleResult[];
  hash: string;
}

/** What a stored result was before an evaluation: its hash (status part `:` detail part) and level. */
export interface PreviousResult {
  hash: string;
  level: string | null;
  levelRank: number;
}

/** What loadBatch reads for a batch of entities; `previous` is keyed `entityRef\nscorecardId`. */
export interface BatchState {
  facts: Map<string, StoredFacts>;
  previous: Map<string, PreviousResult>;
  /** `scorecardId/ruleId` of the granted, unexpired exemptions, per entity. */
  exemptions: Map<string, Set<string>>;
}

export interface ResultChange {
  row: ResultRow;
  previous: { level: string | null; levelRank: number } | undefined;
}

// Entities per statement on PGlite. Multi-row VALUES inserts of 400+ rows with jsonb made the next
// BEGIN fail on PGlite 0.5.16 ("BeginTransactionBlock: unexpected state END"); writes now pass their
// rows as one jsonb parameter (jsonb_to_recordset), which the search plugin also writes 500 at a time.
const CHUNK = 500;
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
/** Key of the advisory lock daily snapshots take (any constant unique to this use). */
const SNAPSHOT_LOCK_KEY = 0x5c0_4ec4;
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** All reads and writes of the scorecards tables. */
export class ScorecardStore {
  /** Entities per read and write statement. `embedded`: PGlite, which needs smaller ones (see CHUNK). */
  private readonly chunk: number;
  constructor(
    private readonly db: Knex,
    mode: 'embedded' | 'postgres' = 'embedded',
    /** Level changes are appended here (`scorecards.level.changed`) in the results' transaction. */
    private readonly eventLog?: EventLogService,
  ) {
    this.chunk = mode === 'embedded' ? CHUNK : 1000;
  }

  /** Stored facts of some entities (the entity page; evaluation reads them with loadBatch). */
  async loadFacts(refs: string[]): Promise<Map<string, StoredFacts>> {
    const out = new Map<string, StoredFacts>();
    for (const part of chunks(refs, 1000)) {
      const rows = await this.db('facts').whereIn('entity_ref', part);
      for (const r of rows) out.set(r.entity_ref, toStoredFacts(r));
    }
    return out;
  }

  /**
   * Everything an evaluation of these entities starts from, in one statement: their stored facts,
   * the hash and level of each of their results, and their granted, unexpired exemptions.
   */
  async loadBatch(refs: string[], now: Date): Promise<BatchState> {
    const state: BatchState = { facts: new Map(), previous: new Map(), exemptions: new Map() };
    for (const part of chunks(refs, this.chunk)) {
      const { rows } = (await this.db.raw(
        `select r.ref, f.facts, f.entity_hash, f.entity_changed_at, f.input_hash,
           (select jsonb_agg(jsonb_build_array(x.scorecard_id, x.hash, x.level, x.level_rank)) from results x where x.entity_ref = r.ref) as results,
           (select jsonb_agg(e.scorecard_id || '/' || e.rule_id) from exemptions e
             where e.entity_ref = r.ref and e.status = 'granted' and e.expires_at > ?) as exemptions
         from unnest(?::text[]) as r(ref)
         left join facts f on f.entity_ref = r.ref`,
        [now, part],
      )) as { rows: Array<Record<string, unknown>> };
      for (const r of rows) {
        const ref = String(r['ref']);
        if (r['entity_hash'] != null) state.facts.set(ref, toStoredFacts(r));
        for (const [scorecardId, hash, level, rank] of parseJson<Array<[string, string, string | null, number]> | null>(r['results']) ?? []) {
          state.previous.set(`${ref}\n${scorecardId}`, { hash, level, levelRank: Number(rank) });
        }
        const exempt = parseJson<string[] | null>(r['exemptions']);
        if (exempt?.length) state.exemptions.set(ref, new Set(exempt));
      }
    }
    return state;
  }

  /**
   * Stores what an evaluation changed, as one statement per `chunk` entities (one for a batch of
   * changes): results whose hash differs from the stored one (`previous`, read before evaluating),
   * a history row for each whose status part changed, the entities' facts rows given (only those
   * that changed), and the removal of `removed` entities' results and facts. The results upsert
   * only touches rows whose stored hash still differs and returns them, so an event-driven
   * evaluation and a sweep racing on the same entity do not both record the same change. Level
   * changes are appended to the event log in the same transaction. Facts carry the input hash,
   * which is stored with (never before) the results it stands for. Returns the results written.
   */
  async writeBatch(
    batch: { results: ResultRow[]; previous: Map<string, PreviousResult>; facts?: Array<{ entityRef: string } & StoredFacts>; removed?: string[] },
    now: Date,
  ): Promise<ResultChange[]> {
    const key = (r: ResultRow) => `${r.entityRef}\n${r.scorecardId}`;
    const { previous } = batch;
    const results = batch.results.filter((r) => previous.get(key(r))?.hash !== r.hash);
    const facts = batch.facts ?? [];
    const removed = batch.removed ?? [];
    // Chunks of entities: an entity's results and facts always go in the same statement.
    const byEntity = new Map<string, { results: ResultRow[]; facts?: { entityRef: string } & StoredFacts }>();
    const entry = (ref: string) => byEntity.get(ref) ?? byEntity.set(ref, { results: [] }).get(ref)!;
    for (const r of results) entry(r.entityRef).results.push(r);
    for (const f of facts) entry(f.entityRef).facts = f;
    const parts = chunks([...byEntity.values()], this.chunk);
    if (removed.length && !parts.length) parts.push([]);
    const changes: ResultChange[] = [];
    for (const [i, part] of parts.entries()) {
      const partResults = part.flatMap((e) => e.results);
      const partFacts = part.flatMap((e) => (e.facts ? [e.facts] : []));
      const partRemoved = i === 0 ? removed : [];
      const statement = writeStatement(partResults, partFacts, partRemoved, previous, now);
      // A transaction only when a level may change: its event-log entry goes in with the results.
      const levelMayChange = partResults.some((r) => (previous.get(key(r))?.level ?? null) !== r.level);
      const run = async (db: Knex): Promise<ResultRow[]> => {
        const { rows } = (await db.raw(statement.sql, statement.bindings)) as { rows: Array<{ entity_ref: string; scorecard_id: string }> };
        const written = new Set(rows.map((r) => `${r.entity_ref}\n${r.scorecard_id}`));
        return partResults.filter((r) => written.has(key(r)));
      };
      const done = levelMayChange
        ? await this.db.transaction(async (trx) => {
            const written = await run(trx);
            await this.appendLevelChanges(trx, written, previous);
            return written;
          })
        : await run(this.db);
      for (const r of done) changes.push({ row: r, previous: previous.get(key(r)) });
    }
    return changes;
  }

  private async appendLevelChanges(trx: Knex.Transaction, written: ResultRow[], previous: Map<string, PreviousResult>): Promise<void> {
    const from = (r: ResultRow) => previous.get(`${r.entityRef}\n${r.scorecardId}`)?.level ?? null;
    const levelChanged = written.filter((r) => from(r) !== r.level);
    if (!this.eventLog || levelChanged.length === 0) return;
    await this.eventLog.append(
      levelChanged.map((r) => ({
        topic: 'scorecards.level.changed',
        entityRef: r.entityRef,
        actor: 'plugin:scorecards',
        payload: { entityRef: r.entityRef, scorecardId: r.scorecardId, from: from(r), to: r.level, points: r.points, maxPoints: r.maxPoints },
        meta: {
          summary: `Scorecard ${r.scorecardId}: ${from(r) ?? 'no level'} → ${r.level ?? 'no level'} (${r.points}/${r.maxPoints} points)`,
        },
      })),
      { trx },
    );
  }

  /** Drops results of entities no longer in the catalog, or of scorecards no longer defined or applying. */
  async deleteStale(seen: Set<string>, keep: (entityRef: string, scorecardId: string) => boolean): Promise<number> {
    const rows: Array<{ entity_ref: string; scorecard_id: string }> = await this.db('results').select('entity_ref', 'scorecard_id');
    const stale = rows.filter((r) => !seen.has(r.entity_ref) || !keep(r.entity_ref, r.scorecard_id));
    for (const part of chunks(stale, 1000)) {
      await this.db.raw(
        `delete from results r using unnest(?::text[], ?::text[]) as s(entity_ref, scorecard_id)
         where r.entity_ref = s.entity_ref and r.scorecard_id = s.scorecard_id`,
        [part.map((r) => r.entity_ref), part.map((r) => r.scorecard_id)],
      );
    }
    const gone = [...new Set(rows.map((r) => r.entity_ref))].filter((r) => !seen.has(r));
    for (const part of chunks(gone, 1000)) await this.db('facts').whereIn('entity_ref', part).delete();
    return stale.length;
  }

  /** `visible` (in this and the other readers): only rows of these entity refs, the caller's readable ones; undefined: all. */
  async results(where: { entityRef?: string; scorecardId?: string; owners?: string[]; visible?: string[] | undefined }): Promise<EntityScorecardResult[]> {
    const q = this.db('results').select('*').orderBy(['scorecard_id', 'entity_ref']);
    if (where.visible) q.whereRaw('entity_ref = any(?::text[])', [where.visible]);
    if (where.entityRef) q.where('entity_ref', where.entityRef);
    if (where.scorecardId) q.where('scorecard_id', where.scorecardId);
    if (where.owners) q.whereIn('owner', where.owners);
    return (await q).map(toResult);
  }

  async history(where: { entityRef?: string; scorecardId?: string; since: Date; limit: number; visible?: string[] | undefined }): Promise<HistoryPoint[]> {
    const q = this.db('history').where('recorded_at', '>=', where.since).orderBy('recorded_at', 'asc').limit(where.limit);
    if (where.visible) q.whereRaw('entity_ref = any(?::text[])', [where.visible]);
    if (where.entityRef) q.where('entity_ref', where.entityRef);
    if (where.scorecardId) q.where('scorecard_id', where.scorecardId);
    return (await q).map((r) => ({
      entityRef: r.entity_ref,
      scorecardId: r.scorecard_id,
      level: r.level,
      points: Number(r.points),
      maxPoints: Number(r.max_points),
      passedRules: parseJson<string[]>(r.passed_rules),
      recordedAt: iso(r.recorded_at),
    }));
  }

  /** Level counts, points and per-rule status tallies (see RuleTally) per owner for one scorecard. */
  async ownerAggregates(
    scorecardId: string,
    visible?: string[],
  ): Promise<{
    levels: Array<{ owner: string | null; level: string | null; entities: number; points: number; max_points: number }>;
    rules: Array<{ owner: string | null; rule_id: string } & RuleTally>;
  }> {
    const levels = await this.db('results')
      .where('scorecard_id', scorecardId)
      .modify((b) => (visible ? b.whereRaw('entity_ref = any(?::text[])', [visible]) : b))
      .groupBy('owner', 'level')
      .select('owner', 'level')
      .count({ entities: '*' })
      .sum({ points: 'points', max_points: 'max_points' });
    // The status lists come from RULE_STATUS, the one definition every view uses.
    const among = (statuses: readonly string[]) => this.db.raw(`(${statuses.map(() => '?').join(', ')})`, [...statuses]);
    const rules = await this.db
      .select('r.owner', this.db.raw("x->>'ruleId' as rule_id"))
      .select(this.db.raw("count(*) filter (where x->>'status' in ?) as passed", [among(MET_STATUSES)]))
      .select(this.db.raw("count(*) filter (where x->>'status' in ?) as total", [among(COUNTED_STATUSES)]))
      .select(this.db.raw("count(*) filter (where x->>'status' in ?) as unmet", [among(UNMET_STATUSES)]))
      .select(this.db.raw("count(*) filter (where x->>'status' = 'pending') as upcoming"))
      .select(this.db.raw("count(*) filter (where x->>'status' = 'pending' and x->>'preview' in ?) as ready", [among(MET_STATUSES)]))
      .select(this.db.raw("count(*) filter (where x->>'status' = 'not-applicable') as not_applicable"))
      .from(this.db.raw('results r cross join lateral jsonb_array_elements(r.rules) x'))
      .where('r.scorecard_id', scorecardId)
      .modify((b) => (visible ? b.whereRaw('r.entity_ref = any(?::text[])', [visible]) : b))
      .groupBy('r.owner', 'rule_id');
    const num = (v: unknown) => Number(v ?? 0);
    return {
      levels: levels.map((r: Record<string, unknown>) => ({
        owner: r['owner'] as string | null,
        level: r['level'] as string | null,
        entities: num(r['entities']),
        points: num(r['points']),
        max_points: num(r['max_points']),
      })),
      rules: rules.map((r: Record<string, unknown>) => ({
        owner: r['owner'] as string | null,
        rule_id: String(r['rule_id']),
        passed: num(r['passed']),
        total: num(r['total']),
        unmet: num(r['unmet']),
        upcoming: num(r['upcoming']),
        ready: num(r['ready']),
        notApplicable: num(r['not_applicable']),
      })),
    };
  }

  /**
   * Results of one rule of one scorecard, per entity, with the rule's result; `statuses` narrows
   * to some statuses (e.g. the unmet ones for "who fails this rule").
   */
  async ruleResults(
    scorecardId: string,
    ruleId: string,
    statuses?: readonly string[],
    visible?: string[],
  ): Promise<Array<{ entityRef: string; owner: string | null; level: string | null; rule: RuleResult }>> {
    const q = this.db
      .select('r.entity_ref', 'r.owner', 'r.level', this.db.raw('x as rule'))
      .from(this.db.raw('results r cross join lateral jsonb_array_elements(r.rules) x'))
      .where('r.scorecard_id', scorecardId)
      .whereRaw("x->>'ruleId' = ?", [ruleId])
      .orderBy('r.entity_ref');
    if (statuses) q.whereRaw(`x->>'status' in (${statuses.map(() => '?').join(', ')})`, [...statuses]);
    if (visible) q.whereRaw('r.entity_ref = any(?::text[])', [visible]);
    return (await q).map((r: Record<string, unknown>) => ({
      entityRef: String(r['entity_ref']),
      owner: (r['owner'] as string | null) ?? null,
      level: (r['level'] as string | null) ?? null,
      rule: parseJson<RuleResult>(r['rule']),
    }));
  }

  /**
   * Records today's level distribution. Sweeps may run at once (several replicas, a triggered
   * run next to the scheduled one): a transaction-scoped advisory lock makes them take turns,
   * and the insert is an upsert, so neither can trip over the other's rows.
   */
  async snapshotDaily(day: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?)', [SNAPSHOT_LOCK_KEY]);
      await trx('daily_levels').where('day', day).delete();
      await trx.raw(
        `insert into daily_levels (scorecard_id, day, owner, level, entities, points, max_points)
         select scorecard_id, ?::date, coalesce(owner, ''), coalesce(level, ''), count(*), sum(points), sum(max_points)
         from results group by scorecard_id, coalesce(owner, ''), coalesce(level, '')
         on conflict (scorecard_id, day, owner, level)
         do update set entities = excluded.entities, points = excluded.points, max_points = excluded.max_points`,
        [day],
      );
    });
  }

  async dailyLevels(scorecardId: string, since: string, owners?: string[]) {
    const q = this.db('daily_levels').where('scorecard_id', scorecardId).where('day', '>=', since).orderBy('day');
    if (owners) q.whereIn('owner', owners);
    return (await q).map((r) => ({
      day: iso(r.day).slice(0, 10),
      owner: r.owner || null,
      level: r.level || null,
      entities: Number(r.entities),
      points: Number(r.points),
      maxPoints: Number(r.max_points),
    }));
  }

  async saveInitiativeProgress(initiativeId: string, day: string, passing: number, total: number): Promise<void> {
    await this.db('initiative_progress').insert({ initiative_id: initiativeId, day, passing, total }).onConflict(['initiative_id', 'day']).merge();
  }

  async initiativeProgress(initiativeId: string): Promise<Array<{ day: string; passing: number; total: number }>> {
    const rows = await this.db('initiative_progress').where('initiative_id', initiativeId).orderBy('day');
    return rows.map((r) => ({ day: iso(r.day).slice(0, 10), passing: r.passing, total: r.total }));
  }

  /** Records TechDocs build outcomes (one statement per chunk; a later outcome of an entity replaces its row). */
  async recordTechdocsBuilds(builds: Array<{ entityRef: string; ok: boolean }>, at: Date): Promise<void> {
    for (const part of chunks(builds, 1000)) {
      await this.db('techdocs_builds')
        .insert(part.map((b) => ({ entity_ref: b.entityRef, ok: b.ok, built_at: at })))
        .onConflict('entity_ref')
        .merge();
    }
  }

  async techdocsBuilds(): Promise<Map<string, boolean>> {
    const rows = await this.db('techdocs_builds').select('entity_ref', 'ok');
    return new Map(rows.map((r) => [r.entity_ref, r.ok]));
  }

  async exemptions(where: {
    now: Date;
    status: Exemption['status'];
    entityRef?: string;
    scorecardId?: string;
    visible?: string[] | undefined;
  }): Promise<Exemption[]> {
    const q = this.db('exemptions').where('expires_at', '>', where.now).where('status', where.status).orderBy('created_at');
    if (where.visible) q.whereRaw('entity_ref = any(?::text[])', [where.visible]);
    if (where.entityRef) q.where('entity_ref', where.entityRef);
    if (where.scorecardId) q.where('scorecard_id', where.scorecardId);
    return (await q).map(toExemption);
  }

  /**
   * The exemption methods take `alsoInTransaction` (the route's audit record): it runs in the
   * change's transaction, so a change is never stored without its audit record or the reverse.
   */
  async addExemption(
    e: Pick<Exemption, 'entityRef' | 'scorecardId' | 'ruleId' | 'reason' | 'expiresAt' | 'status' | 'requestedBy' | 'approvedBy'>,
    now: Date,
    alsoInTransaction?: (trx: Knex.Transaction, exemption: Exemption) => Promise<void>,
  ): Promise<Exemption> {
    const row = {
      id: randomUUID(),
      entity_ref: e.entityRef,
      scorecard_id: e.scorecardId,
      rule_id: e.ruleId,
      reason: e.reason,
      status: e.status,
      requested_by: e.requestedBy,
      approved_by: e.approvedBy,
      expires_at: e.expiresAt,
      created_at: now,
      granted_at: e.status === 'granted' ? now : null,
    };
    const exemption = toExemption(row);
    await this.db.transaction(async (trx) => {
      await trx('exemptions').insert(row);
      await alsoInTransaction?.(trx, exemption);
    });
    return exemption;
  }

  /** Grants a requested exemption; undefined when there is no such request (unknown, or already granted). */
  async grantExemption(
    id: string,
    approvedBy: string,
    now: Date,
    alsoInTransaction?: (trx: Knex.Transaction, exemption: Exemption) => Promise<void>,
  ): Promise<Exemption | undefined> {
    return this.db.transaction(async (trx) => {
      const [row] = await trx('exemptions')
        .where({ id, status: 'requested' })
        .update({ status: 'granted', approved_by: approvedBy, granted_at: now })
        .returning('*');
      if (!row) return undefined;
      const exemption = toExemption(row);
      await alsoInTransaction?.(trx, exemption);
      return exemption;
    });
  }

  async exemption(id: string): Promise<Exemption | undefined> {
    const row = await this.db('exemptions').where('id', id).first();
    return row ? toExemption(row) : undefined;
  }

  async deleteExemption(id: string, alsoInTransaction?: (trx: Knex.Transaction, exemption: Exemption) => Promise<void>): Promise<Exemption | undefined> {
    return this.db.transaction(async (trx) => {
      const [row] = await trx('exemptions').where('id', id).delete().returning('*');
      if (!row) return undefined;
      const exemption = toExemption(row);
      await alsoInTransaction?.(trx, exemption);
      return exemption;
    });
  }
}

function toStoredFacts(r: Record<string, unknown>): StoredFacts {
  return {
    facts: parseJson<EntityFacts>(r['facts']),
    entityHash: String(r['entity_hash']),
    entityChangedAt: new Date(r['entity_changed_at'] as string | Date),
    inputHash: (r['input_hash'] as string | null) ?? null,
  };
}

/**
 * The one statement that stores an evaluation's changes (see ScorecardStore.writeBatch): the rows
 * go in as jsonb parameters, and data-modifying CTEs upsert results (returning those written),
 * append history for the written ones whose status changed, upsert facts and delete removed
 * entities' rows. Parts with nothing to do are left out.
 */
function writeStatement(
  results: ResultRow[],
  facts: Array<{ entityRef: string } & StoredFacts>,
  removed: string[],
  previous: Map<string, PreviousResult>,
  now: Date,
): { sql: string; bindings: Knex.RawBinding[] } {
  const ctes: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  const statusOf = (hash: string | undefined) => hash?.split(':')[0];
  if (results.length) {
    ctes.push(
      `res as (select * from jsonb_to_recordset(?::jsonb) as x(entity_ref text, scorecard_id text, owner text, level text, level_rank integer,
         points double precision, max_points double precision, rules jsonb, hash text, passed_rules jsonb, status_changed boolean))`,
      `written as (insert into results (entity_ref, scorecard_id, owner, level, level_rank, points, max_points, rules, hash, evaluated_at, changed_at)
         select entity_ref, scorecard_id, owner, level, level_rank, points, max_points, rules, hash, ?::timestamptz, ?::timestamptz from res
         on conflict (entity_ref, scorecard_id) do update set owner = excluded.owner, level = excluded.level, level_rank = excluded.level_rank,
           points = excluded.points, max_points = excluded.max_points, rules = excluded.rules, hash = excluded.hash,
           evaluated_at = excluded.evaluated_at, changed_at = excluded.changed_at
         where results.hash <> excluded.hash
         returning entity_ref, scorecard_id)`,
      `hist as (insert into history (entity_ref, scorecard_id, owner, level, points, max_points, passed_rules, recorded_at)
         select res.entity_ref, res.scorecard_id, res.owner, res.level, res.points, res.max_points, res.passed_rules, ?::timestamptz
         from res join written on written.entity_ref = res.entity_ref and written.scorecard_id = res.scorecard_id
         where res.status_changed
         returning 1)`,
    );
    bindings.push(
      JSON.stringify(
        results.map((r) => ({
          entity_ref: r.entityRef,
          scorecard_id: r.scorecardId,
          owner: r.owner,
          level: r.level,
          level_rank: r.levelRank,
          points: r.points,
          max_points: r.maxPoints,
          rules: r.rules,
          hash: r.hash,
          passed_rules: r.rules.filter((x) => isMet(x.status)).map((x) => x.ruleId),
          status_changed: statusOf(previous.get(`${r.entityRef}\n${r.scorecardId}`)?.hash) !== statusOf(r.hash),
        })),
      ),
      now,
      now,
      now,
    );
  }
  if (facts.length) {
    ctes.push(
      `fx as (insert into facts (entity_ref, facts, entity_hash, entity_changed_at, input_hash, updated_at)
         select entity_ref, facts, entity_hash, entity_changed_at, input_hash, ?::timestamptz
         from jsonb_to_recordset(?::jsonb) as f(entity_ref text, facts jsonb, entity_hash text, entity_changed_at timestamptz, input_hash text)
         on conflict (entity_ref) do update set facts = excluded.facts, entity_hash = excluded.entity_hash,
           entity_changed_at = excluded.entity_changed_at, input_hash = excluded.input_hash, updated_at = excluded.updated_at
         returning 1)`,
    );
    bindings.push(
      now,
      JSON.stringify(
        facts.map((f) => ({
          entity_ref: f.entityRef,
          facts: f.facts,
          entity_hash: f.entityHash,
          entity_changed_at: f.entityChangedAt.toISOString(),
          input_hash: f.inputHash,
        })),
      ),
    );
  }
  if (removed.length) {
    ctes.push(
      'gone_results as (delete from results where entity_ref = any(?::text[]) returning 1)',
      'gone_facts as (delete from facts where entity_ref = any(?::text[]) returning 1)',
    );
    bindings.push(removed, removed);
  }
  const select = results.length ? 'select entity_ref, scorecard_id from written' : 'select null::text as entity_ref, null::text as scorecard_id where false';
  return { sql: `with ${ctes.join(',\n')}\n${select}`, bindings };
}

function toResult(r: Record<string, unknown>): EntityScorecardResult {
  return {
    entityRef: String(r['entity_ref']),
    scorecardId: String(r['scorecard_id']),
    owner: (r['owner'] as string | null) ?? null,
    level: (r['level'] as string | null) ?? null,
    points: Number(r['points']),
    maxPoints: Number(r['max_points']),
    rules: parseJson<RuleResult[]>(r['rules']),
    evaluatedAt: iso(r['evaluated_at']),
    changedAt: iso(r['changed_at']),
  };
}

function toExemption(r: Record<string, unknown>): Exemption {
  return {
    id: String(r['id']),
    entityRef: String(r['entity_ref']),
    scorecardId: String(r['scorecard_id']),
    ruleId: String(r['rule_id']),
    reason: String(r['reason']),
    status: r['status'] === 'requested' ? 'requested' : 'granted',
    requestedBy: (r['requested_by'] as string | null) ?? null,
    approvedBy: (r['approved_by'] as string | null) ?? null,
    expiresAt: iso(r['expires_at']),
    createdAt: iso(r['created_at']),
    grantedAt: r['granted_at'] ? iso(r['granted_at']) : null,
  };
}
