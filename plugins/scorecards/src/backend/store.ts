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

export interface ResultChange {
  row: ResultRow;
  previous: { level: string | null; levelRank: number } | undefined;
}

// Rows per statement. Larger batches (400+ rows with jsonb) made the next BEGIN fail on PGlite 0.5.16
// ("BeginTransactionBlock: unexpected state END"), so writes stay well below that.
const CHUNK = 200;
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
  /** `embedded`: PGlite, which needs small write batches (see CHUNK); a Postgres server takes larger ones. */
  private readonly chunk: number;
  constructor(
    private readonly db: Knex,
    mode: 'embedded' | 'postgres' = 'embedded',
    /** Level changes are appended here (`scorecards.level.changed`) in the results' transaction. */
    private readonly eventLog?: EventLogService,
  ) {
    this.chunk = mode === 'embedded' ? CHUNK : 1000;
  }

  async loadFacts(refs: string[]): Promise<Map<string, StoredFacts>> {
    const out = new Map<string, StoredFacts>();
    for (const part of chunks(refs, 1000)) {
      const rows = await this.db('facts').whereIn('entity_ref', part);
      for (const r of rows) {
        out.set(r.entity_ref, {
          facts: parseJson(r.facts),
          entityHash: r.entity_hash,
          entityChangedAt: new Date(r.entity_changed_at),
          inputHash: r.input_hash ?? null,
        });
      }
    }
    return out;
  }

  async saveFacts(rows: Array<{ entityRef: string } & StoredFacts>, now: Date): Promise<void> {
    for (const part of chunks(rows, this.chunk)) {
      await this.db('facts')
        .insert(
          part.map((r) => ({
            entity_ref: r.entityRef,
            facts: JSON.stringify(r.facts),
            entity_hash: r.entityHash,
            entity_changed_at: r.entityChangedAt,
            input_hash: r.inputHash,
            updated_at: now,
          })),
        )
        .onConflict('entity_ref')
        .merge();
    }
  }

  async loadResultHashes(refs: string[]): Promise<Map<string, { hash: string; level: string | null; levelRank: number }>> {
    const out = new Map<string, { hash: string; level: string | null; levelRank: number }>();
    for (const part of chunks(refs, 1000)) {
      const rows = await this.db('results').whereIn('entity_ref', part).select('entity_ref', 'scorecard_id', 'hash', 'level', 'level_rank');
      for (const r of rows) out.set(`${r.entity_ref}\n${r.scorecard_id}`, { hash: r.hash, level: r.level, levelRank: r.level_rank });
    }
    return out;
  }

  /**
   * Writes results whose hash differs from the stored one (`previous`, read before evaluating),
   * and a history row for each whose status part changed. The upsert only touches rows whose
   * stored hash still differs and returns them, so an event-driven evaluation and a sweep racing
   * on the same entity do not both record the same change. Returns what was written.
   */
  async writeResults(rows: ResultRow[], previous: Map<string, { hash: string; level: string | null; levelRank: number }>, now: Date): Promise<ResultChange[]> {
    const changes: ResultChange[] = [];
    const key = (r: ResultRow) => `${r.entityRef}\n${r.scorecardId}`;
    for (const part of chunks(
      rows.filter((r) => previous.get(key(r))?.hash !== r.hash),
      this.chunk,
    )) {
      await this.db.transaction(async (trx) => {
        const returned: Array<{ entity_ref: string; scorecard_id: string }> = await trx('results')
          .insert(
            part.map((r) => ({
              entity_ref: r.entityRef,
              scorecard_id: r.scorecardId,
              owner: r.owner,
              level: r.level,
              level_rank: r.levelRank,
              points: r.points,
              max_points: r.maxPoints,
              rules: JSON.stringify(r.rules),
              hash: r.hash,
              evaluated_at: now,
              changed_at: now,
            })),
          )
          .onConflict(['entity_ref', 'scorecard_id'])
          .merge()
          .where('results.hash', '<>', trx.raw('excluded.hash'))
          .returning(['entity_ref', 'scorecard_id']);
        const written = new Set(returned.map((r) => `${r.entity_ref}\n${r.scorecard_id}`));
        const done = part.filter((r) => written.has(key(r)));
        const statusChanged = done.filter((r) => previous.get(key(r))?.hash.split(':')[0] !== r.hash.split(':')[0]);
        if (statusChanged.length) {
          await trx('history').insert(
            statusChanged.map((r) => ({
              entity_ref: r.entityRef,
              scorecard_id: r.scorecardId,
              owner: r.owner,
              level: r.level,
              points: r.points,
              max_points: r.maxPoints,
              passed_rules: JSON.stringify(r.rules.filter((x) => isMet(x.status)).map((x) => x.ruleId)),
              recorded_at: now,
            })),
          );
        }
        for (const r of done) changes.push({ row: r, previous: previous.get(key(r)) });
        const levelChanged = done.filter((r) => (previous.get(key(r))?.level ?? null) !== r.level);
        if (this.eventLog && levelChanged.length > 0) {
          await this.eventLog.append(
            levelChanged.map((r) => ({
              topic: 'scorecards.level.changed',
              entityRef: r.entityRef,
              actor: 'plugin:scorecards',
              payload: {
                entityRef: r.entityRef,
                scorecardId: r.scorecardId,
                from: previous.get(key(r))?.level ?? null,
                to: r.level,
                points: r.points,
                maxPoints: r.maxPoints,
              },
              meta: {
                summary: `Scorecard ${r.scorecardId}: ${previous.get(key(r))?.level ?? 'no level'} → ${r.level ?? 'no level'} (${r.points}/${r.maxPoints} points)`,
              },
            })),
            { trx },
          );
        }
      });
    }
    return changes;
  }

  async deleteEntity(ref: string): Promise<void> {
    await this.db('results').where('entity_ref', ref).delete();
    await this.db('facts').where('entity_ref', ref).delete();
  }

  /** Drops results of entities no longer in the catalog, or of scorecards no longer defined or applying. */
  async deleteStale(seen: Set<string>, keep: (entityRef: string, scorecardId: string) => boolean): Promise<number> {
    const rows: Array<{ entity_ref: string; scorecard_id: string }> = await this.db('results').select('entity_ref', 'scorecard_id');
    const stale = rows.filter((r) => !seen.has(r.entity_ref) || !keep(r.entity_ref, r.scorecard_id));
    for (const r of stale) await this.db('results').where({ entity_ref: r.entity_ref, scorecard_id: r.scorecard_id }).delete();
    const gone = [...new Set(rows.map((r) => r.entity_ref))].filter((r) => !seen.has(r));
    for (const part of chunks(gone, this.chunk)) await this.db('facts').whereIn('entity_ref', part).delete();
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

  async recordTechdocsBuild(entityRef: string, ok: boolean, at: Date): Promise<void> {
    await this.db('techdocs_builds').insert({ entity_ref: entityRef, ok, built_at: at }).onConflict('entity_ref').merge();
  }

  async techdocsBuilds(): Promise<Map<string, boolean>> {
    const rows = await this.db('techdocs_builds').select('entity_ref', 'ok');
    return new Map(rows.map((r) => [r.entity_ref, r.ok]));
  }

  /** Granted exemptions that have not expired (what evaluation counts). */
  async activeExemptions(now: Date, entityRef?: string): Promise<Exemption[]> {
    return this.exemptions({ now, status: 'granted', ...(entityRef ? { entityRef } : {}) });
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
