import { createHash } from 'node:crypto';
import type { Entity } from '@atrium/catalog-model';
import type { Logger } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { QueryEntitiesResponse } from '@atrium/plugin-catalog/common';
import { levelRank, type EntityFacts, type FactValue, type RuleResult } from '../common/index.js';
import type { LoadResult } from './definitions.js';
import { evaluateScorecard, relationsByType } from './engine.js';
import { prepareContext } from './expression.js';
import { ownerRefOf, refOf } from './facts/builtins.js';
import { UNKNOWN, type FactContext, type FactProvider } from './facts/types.js';
import type { Notifier } from './notifier.js';
import { matchesSelector } from './selector.js';
import type { PreviousResult, ResultRow, ScorecardStore, StoredFacts } from './store.js';
import { forEachYielding } from './yielding.js';

export interface EvaluatorDeps {
  store: ScorecardStore;
  catalog: CatalogService;
  logger: Logger;
  providers: () => FactProvider[];
  definitions: () => LoadResult;
  notifier: Notifier;
  pageSize?: number;
  /** Relation types present (possibly empty) in every entity's `relations`. */
  relationTypes?: readonly string[];
}

interface BatchOptions {
  trigger: 'sweep' | 'event';
  /** Refs of every Group and User (a sweep reads them once); else the batch's owners are looked up. */
  principals?: Set<string>;
  /** Entities gone from the catalog: their results and facts are deleted with the batch's write. */
  removed?: string[];
  signal?: AbortSignal;
  now?: Date;
}

export interface SweepStats {
  entities: number;
  changed: number;
  removed: number;
  durationMs: number;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * Bumped whenever the same inputs evaluate to different results (rule statuses, the evaluation
 * context): stored results of an older engine are then re-evaluated instead of trusted.
 */
export const ENGINE_VERSION = 2;

const definitionVersions = new WeakMap<LoadResult, string>();
/** A hash of the loaded scorecard definitions: a change re-evaluates every entity. */
function definitionsVersion(loaded: LoadResult): string {
  let v = definitionVersions.get(loaded);
  if (!v) definitionVersions.set(loaded, (v = sha1(JSON.stringify([ENGINE_VERSION, loaded.scorecards.map((s) => s.definition)]))));
  return v;
}

function entityHash(e: Entity): string {
  const { uid: _uid, etag: _etag, generation: _generation, ...metadata } = e.metadata as Entity['metadata'] & { generation?: unknown };
  return sha1(JSON.stringify({ k: e.kind, m: metadata, s: e.spec, r: e.relations }));
}

/** Computes facts for entities, evaluates every applicable scorecard, and stores what changed. */
export class Evaluator {
  /** `scorecard/rule/reason` of engine errors already logged, so a sweep does not log each entity. */
  private readonly loggedErrors = new Set<string>();
  constructor(private readonly deps: EvaluatorDeps) {}

  /**
   * Evaluates a batch of catalog entities with one read (their stored facts, results and
   * exemptions: ScorecardStore.loadBatch) and one write (what changed: writeBatch); entities whose
   * facts and results did not change write nothing. Returns how many results changed.
   */
  async evaluateEntities(entities: Entity[], options: BatchOptions): Promise<{ changed: number; applicable: Array<[string, string]> }> {
    const { store } = this.deps;
    const now = options.now ?? new Date();
    const loaded = this.deps.definitions();
    const { scorecards } = loaded;
    const version = definitionsVersion(loaded);
    const today = now.toISOString().slice(0, 10);
    const refs = entities.map(refOf);
    const [state, principals] = await Promise.all([refs.length ? store.loadBatch(refs, now) : undefined, options.principals ?? this.principalsFor(entities)]);
    const stored = state?.facts ?? new Map<string, StoredFacts>();
    const previous = state?.previous ?? new Map<string, PreviousResult>();
    const exemptions = state?.exemptions ?? new Map<string, Set<string>>();

    // Entity change times: a new hash means the entity changed now.
    const hashes = new Map(entities.map((e, i) => [refs[i]!, entityHash(e)]));
    const changedAt = new Map<string, Date>();
    for (const ref of refs) {
      const s = stored.get(ref);
      changedAt.set(ref, s && s.entityHash === hashes.get(ref) ? s.entityChangedAt : now);
    }
    const ctx: FactContext = {
      entityExists: (ref) => principals.has(ref),
      changedAt: (ref) => changedAt.get(ref),
      now,
      trigger: options.trigger,
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const computed = new Map<string, EntityFacts>();
    for (const provider of this.deps.providers()) {
      if (provider.sweepOnly && options.trigger === 'event') continue;
      let values: Map<string, Record<string, unknown>>;
      try {
        values = await provider.compute(entities, ctx);
      } catch (err) {
        this.deps.logger.warn({ err, provider: provider.id }, 'scorecards: fact provider failed; keeping its previous facts');
        continue;
      }
      for (const [ref, facts] of values) {
        const into = computed.get(ref) ?? {};
        for (const [name, value] of Object.entries(facts)) {
          into[name] = {
            value: value === UNKNOWN ? null : value,
            status: value === UNKNOWN ? 'unknown' : 'known',
            provider: provider.id,
            updatedAt: now.toISOString(),
          };
        }
        computed.set(ref, into);
      }
    }

    const factRows: Array<{ entityRef: string } & StoredFacts> = [];
    const rows: ResultRow[] = [];
    const applicable: Array<[string, string]> = [];
    const toEvaluate: Array<{ entity: Entity; ref: string; factValues: Record<string, unknown> }> = [];
    entities.forEach((entity, i) => {
      const ref = refs[i]!;
      const old = stored.get(ref);
      const facts = mergeFacts(old?.facts ?? {}, computed.get(ref) ?? {});
      const factValues = Object.fromEntries(Object.entries(facts.merged).map(([k, v]) => [k, v.value]));
      // Results depend on the entity, its facts, its exemptions, the definitions and the day
      // (effective dates, daysSince()); when none of them changed, the stored results stand.
      const inputHash = sha1(canonicalJson([hashes.get(ref), factValues, [...(exemptions.get(ref) ?? [])].sort(), version, today]));
      if (!old || old.entityHash !== hashes.get(ref) || facts.changed || old.inputHash !== inputHash) {
        factRows.push({ entityRef: ref, facts: facts.merged, entityHash: hashes.get(ref)!, entityChangedAt: changedAt.get(ref)!, inputHash });
      }
      if (old?.inputHash === inputHash && options.trigger === 'sweep') {
        for (const scorecard of scorecards) if (matchesSelector(entity, scorecard.definition.filter)) applicable.push([ref, scorecard.definition.id]);
      } else {
        toEvaluate.push({ entity, ref, factValues });
      }
    });
    await forEachYielding(toEvaluate, ({ entity, ref, factValues }) => {
      const evalCtx = prepareContext({ entity, facts: factValues, relations: relationsByType(entity, this.deps.relationTypes), now });
      const owner = ownerRefOf(entity);
      for (const scorecard of scorecards) {
        const def = scorecard.definition;
        if (!matchesSelector(entity, def.filter)) continue;
        applicable.push([ref, def.id]);
        const outcome = evaluateScorecard(scorecard, evalCtx, exemptions.get(ref) ?? new Set());
        this.logEngineErrors(ref, def.id, outcome.rules);
        const statusHash = sha1(
          JSON.stringify([owner, outcome.level, outcome.points, outcome.maxPoints, outcome.rules.map((r) => [r.ruleId, r.status, r.preview, r.message])]),
        );
        const hash = `${statusHash}:${sha1(JSON.stringify(outcome.rules.map((r) => [r.actual, r.detail])))}`;
        if (previous.get(`${ref}\n${def.id}`)?.hash === hash) continue;
        rows.push({
          entityRef: ref,
          scorecardId: def.id,
          owner: owner ?? null,
          level: outcome.level,
          levelRank: levelRank(def, outcome.level),
          points: outcome.points,
          maxPoints: outcome.maxPoints,
          rules: outcome.rules,
          hash,
        });
      }
    });
    // One write: results, history, facts (with the input hash they stand for) and removals together.
    const removed = options.removed ?? [];
    const changes = rows.length || factRows.length || removed.length ? await store.writeBatch({ results: rows, previous, facts: factRows, removed }, now) : [];
    for (const { row, previous: prev } of changes) {
      if (!prev || row.levelRank >= prev.levelRank) continue;
      const def = scorecards.find((s) => s.definition.id === row.scorecardId)!.definition;
      await this.deps.notifier
        .levelDropped(row, prev.level, def)
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'scorecards: level-drop notification failed'));
    }
    return { changed: changes.length, applicable };
  }

  /** Full evaluation of the catalog, page by page; drops results of entities that are gone. */
  async evaluateAll(signal?: AbortSignal): Promise<SweepStats> {
    const started = Date.now();
    const now = new Date();
    const principals = await this.allPrincipals();
    const seen = new Set<string>();
    const applicable = new Set<string>();
    let changed = 0;
    const limit = this.deps.pageSize ?? 1000;
    // The next page is fetched while the current one is evaluated.
    let next: Promise<QueryEntitiesResponse> | undefined = this.deps.catalog.queryEntities({ limit, totalItems: 'exclude' });
    while (next) {
      const page: QueryEntitiesResponse = await next;
      if (signal?.aborted) throw new Error('scorecards sweep aborted');
      const cursor: string | undefined = page.pageInfo.nextCursor;
      next = cursor && page.items.length ? this.deps.catalog.queryEntities({ cursor, limit }) : undefined;
      next?.catch(() => undefined); // surfaced when awaited
      for (const e of page.items) seen.add(refOf(e));
      const r = await this.evaluateEntities(page.items, { trigger: 'sweep', principals, now, ...(signal ? { signal } : {}) });
      changed += r.changed;
      for (const [ref, sc] of r.applicable) applicable.add(`${ref}\n${sc}`);
    }
    const removed = await this.deps.store.deleteStale(seen, (ref, sc) => applicable.has(`${ref}\n${sc}`));
    return { entities: seen.size, changed, removed, durationMs: Date.now() - started };
  }

  /** Engine errors go to the log (once per scorecard, rule and reason), never into what owners read. */
  private logEngineErrors(entityRef: string, scorecardId: string, rules: RuleResult[]): void {
    for (const r of rules) {
      if (!r.detail) continue;
      const key = `${scorecardId}/${r.ruleId}/${r.detail}`;
      if (this.loggedErrors.has(key) || this.loggedErrors.size > 10_000) continue;
      this.loggedErrors.add(key);
      this.deps.logger.warn(
        { scorecard: scorecardId, rule: r.ruleId, entityRef, reason: r.detail },
        `scorecards: rule ${scorecardId}/${r.ruleId} could not be evaluated for ${entityRef} (and possibly others): ${r.detail}`,
      );
    }
  }

  private async allPrincipals(): Promise<Set<string>> {
    const { items } = await this.deps.catalog.getEntities({ filter: { kind: ['group', 'user'] }, fields: ['kind', 'metadata.name', 'metadata.namespace'] });
    return new Set(items.map(refOf));
  }

  private async principalsFor(entities: Entity[]): Promise<Set<string>> {
    const owners = [...new Set(entities.map(ownerRefOf).filter((o): o is string => !!o))];
    if (!owners.length) return new Set();
    const found = await this.deps.catalog.getEntitiesByRefs(owners, { fields: ['kind', 'metadata.name', 'metadata.namespace'] });
    return new Set(found.filter((e): e is Entity => !!e).map(refOf));
  }
}

/** New values over old ones; a fact's timestamp moves only when its value or status changes. */
function mergeFacts(old: EntityFacts, fresh: EntityFacts): { merged: EntityFacts; changed: boolean } {
  const merged: EntityFacts = { ...old };
  let changed = false;
  for (const [name, value] of Object.entries(fresh)) {
    const prev: FactValue | undefined = old[name];
    if (prev && prev.status === value.status && canonicalJson(prev.value) === canonicalJson(value.value)) continue;
    merged[name] = value;
    changed = true;
  }
  return { merged, changed };
}

/**
 * JSON with object keys in order at every level: facts read back from jsonb come with their keys
 * in another order than freshly computed ones, and that alone must not count as a change.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
