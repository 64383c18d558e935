import type { Caller } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { CatalogService, EntityFilterQuery } from '@atrium/plugin-catalog/backend';
import {
  isUnmet,
  levelRank,
  type EntityScorecardResult,
  type InitiativeDefinition,
  type InitiativeProgress,
  type ScorecardDefinition,
} from '../common/index.js';
import { ownerRefOf, refOf } from './facts/builtins.js';
import type { Notifier } from './notifier.js';
import { matchesSelector } from './selector.js';
import type { ScorecardStore } from './store.js';

const SHORTHANDS: Record<string, string> = {
  type: 'spec.type',
  lifecycle: 'spec.lifecycle',
  owner: 'spec.owner',
  tags: 'metadata.tags',
  namespace: 'metadata.namespace',
  name: 'metadata.name',
};

/** An initiative's (and its scorecard's) selectors as a catalog filter, so the catalog narrows the set. */
function catalogFilter(initiative: InitiativeDefinition, scorecard: ScorecardDefinition): EntityFilterQuery {
  const filter: Record<string, string[]> = {};
  for (const sel of [scorecard.filter, initiative.filter]) {
    for (const [k, v] of Object.entries(sel)) {
      if (k === 'owner') continue; // owner refs are written in several forms; matched below
      const key = SHORTHANDS[k] ?? k;
      const values = Array.isArray(v) ? v : [v];
      filter[key] = filter[key] ? filter[key]!.filter((x) => values.map((y) => y.toLowerCase()).includes(x.toLowerCase())) : values;
    }
  }
  return filter;
}

export function daysBetween(from: Date, toDay: string): number {
  return Math.ceil((Date.parse(`${toDay}T23:59:59Z`) - from.getTime()) / 86_400_000);
}

/**
 * Whether a result meets the initiative: its target level reached, or none of its rules unmet
 * (RULE_STATUS: failing and error are unmet; upcoming and not-applicable rules hold nobody back).
 */
export function meetsInitiative(
  initiative: InitiativeDefinition,
  scorecard: ScorecardDefinition,
  result: EntityScorecardResult | undefined,
): { ok: boolean; failingRules: string[] } {
  if (!result) return { ok: false, failingRules: ['not evaluated yet'] };
  const ok = (id: string) => !isUnmet(result.rules.find((r) => r.ruleId === id)?.status ?? 'fail');
  if (initiative.targetLevel) {
    const target = levelRank(scorecard, initiative.targetLevel);
    const needed = scorecard.rules.filter((r) => levelRank(scorecard, r.level) <= target).map((r) => r.id);
    return { ok: levelRank(scorecard, result.level) >= target, failingRules: needed.filter((id) => !ok(id)) };
  }
  const failingRules = (initiative.rules ?? []).filter((id) => !ok(id));
  return { ok: failingRules.length === 0, failingRules };
}

/** Current progress of an initiative, with its recorded burn-up. */
export async function initiativeProgress(
  initiative: InitiativeDefinition,
  scorecard: ScorecardDefinition,
  catalog: CatalogService,
  store: ScorecardStore,
  now = new Date(),
  caller?: Caller,
): Promise<InitiativeProgress> {
  // For a caller: only the entities it may read (filtered by the catalog, in SQL) are counted.
  const { items } = await catalog.getEntities({ filter: catalogFilter(initiative, scorecard), ...(caller ? { caller } : {}) });
  const entities = items.filter((e: Entity) => matchesSelector(e, scorecard.filter) && matchesSelector(e, initiative.filter));
  const results = new Map((await store.results({ scorecardId: scorecard.id })).map((r) => [r.entityRef, r]));
  const daysLeft = daysBetween(now, initiative.deadline);
  const teams = new Map<string, { owner: string; total: number; passing: number }>();
  const failing: InitiativeProgress['failing'] = [];
  let passing = 0;
  for (const e of entities) {
    const ref = refOf(e);
    const owner = ownerRefOf(e) ?? 'none';
    const result = results.get(ref);
    const m = meetsInitiative(initiative, scorecard, result);
    const team = teams.get(owner) ?? teams.set(owner, { owner, total: 0, passing: 0 }).get(owner)!;
    team.total++;
    if (m.ok) {
      passing++;
      team.passing++;
    } else {
      failing.push({ entityRef: ref, owner: ownerRefOf(e) ?? null, level: result?.level ?? null, failingRules: m.failingRules, daysLeft });
    }
  }
  const today = now.toISOString().slice(0, 10);
  // The recorded burn-up counts every entity: shown only to a caller who reads them all (caller undefined here).
  const burnUp = caller ? [] : (await store.initiativeProgress(initiative.id)).filter((p) => p.day !== today);
  burnUp.push({ day: today, passing, total: entities.length });
  return {
    initiative,
    total: entities.length,
    passing,
    daysLeft,
    burnUp,
    teams: [...teams.values()].sort((a, b) => a.passing / a.total - b.passing / b.total || a.owner.localeCompare(b.owner)),
    failing: failing.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
  };
}

/**
 * Records today's burn-up point and brings deadline reminders up to date: every sweep rewrites
 * each owner's reminder with the current count and days left, and withdraws unread ones of owners
 * who have nothing left to fix.
 */
export async function trackInitiative(
  initiative: InitiativeDefinition,
  scorecard: ScorecardDefinition,
  catalog: CatalogService,
  store: ScorecardStore,
  notifier: Notifier,
  now = new Date(),
): Promise<InitiativeProgress> {
  const progress = await initiativeProgress(initiative, scorecard, catalog, store, now);
  await store.saveInitiativeProgress(initiative.id, now.toISOString().slice(0, 10), progress.passing, progress.total);
  if (now.toISOString().slice(0, 10) >= initiative.startDate) {
    const perOwner = new Map<string, number>();
    for (const f of progress.failing) if (f.owner) perOwner.set(f.owner, (perOwner.get(f.owner) ?? 0) + 1);
    for (const [owner, count] of perOwner) await notifier.deadlineNear(initiative, owner, count, progress.daysLeft);
    await notifier.withdrawDeadlineReminders(initiative, [...perOwner.keys()]);
  }
  return progress;
}
