import type { Entity } from '@atrium/catalog-model';
import type { RuleResult, ScorecardDefinition } from '../common/index.js';
import type { LoadedScorecard } from './definitions.js';
import { prepareContext, type EvaluationContext } from './expression.js';

export interface ScorecardOutcome {
  level: string | null;
  points: number;
  maxPoints: number;
  rules: RuleResult[];
}

/** `scorecardId/ruleId` keys of the rules exempted for one entity. */
export type ExemptionSet = ReadonlySet<string>;

function render(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'string') return v.length > 200 ? `${v.slice(0, 200)}…` : v;
  const s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
  return s && s.length > 200 ? `${s.slice(0, 200)}…` : (s ?? String(v));
}

/**
 * Evaluates one scorecard for one entity. A rule whose condition cannot be evaluated (e.g. a
 * field this entity does not have) is `error` and counts as not passed; a rule before its
 * effective date is `pending` and counts for nothing. The level reached is the highest level
 * whose rules, and every lower level's rules, pass (or are exempt).
 */
export function evaluateScorecard(scorecard: LoadedScorecard, rawCtx: EvaluationContext, exemptions: ExemptionSet): ScorecardOutcome {
  const { definition } = scorecard;
  const ctx = prepareContext(rawCtx);
  const rules: RuleResult[] = [];
  let points = 0;
  let maxPoints = 0;
  const today = ctx.now.toISOString().slice(0, 10);
  for (const rule of definition.rules) {
    const pending = !!rule.effectiveFrom && rule.effectiveFrom > today;
    const outcome = scorecard.conditions.get(rule.id)!.evaluate(ctx);
    const actualExpr = scorecard.actuals.get(rule.id);
    const actualOutcome = actualExpr?.evaluate(ctx);
    const actual = actualOutcome ? (actualOutcome.ok ? render(actualOutcome.value) : 'missing') : outcome.ok ? render(outcome.value) : 'missing';
    const base = { ruleId: rule.id, actual, ...(rule.expected ? { expected: rule.expected } : {}) };
    let result: RuleResult;
    if (outcome.ok && outcome.value === true) result = { ...base, status: 'pass' };
    else if (exemptions.has(`${definition.id}/${rule.id}`)) result = { ...base, status: 'exempt', message: 'Exempted' };
    else if (!outcome.ok) result = { ...base, status: 'error', message: `Not applicable: ${outcome.reason}` };
    else result = { ...base, status: 'fail', ...(rule.failureMessage ? { message: rule.failureMessage } : {}) };
    if (pending && result.status !== 'pass' && result.status !== 'exempt') {
      result = { ...result, status: 'pending', message: `Counts from ${rule.effectiveFrom}. ${result.message ?? ''}`.trim() };
    }
    rules.push(result);
    if (!pending || result.status === 'pass') {
      if (!pending) maxPoints += rule.weight;
      if (result.status === 'pass' || result.status === 'exempt') points += pending ? 0 : rule.weight;
    }
  }
  return { level: levelReached(definition, rules), points, maxPoints, rules };
}

export function levelReached(definition: ScorecardDefinition, results: RuleResult[]): string | null {
  const byId = new Map(results.map((r) => [r.ruleId, r.status]));
  let reached: string | null = null;
  for (const level of definition.levels) {
    const passes = definition.rules
      .filter((r) => r.level === level.id)
      .every((r) => {
        const s = byId.get(r.id);
        return s === 'pass' || s === 'exempt' || s === 'pending';
      });
    if (!passes) break;
    reached = level.id;
  }
  return reached;
}

/** Relations grouped by type, as the `relations` variable of conditions (`relations.dependsOn`). */
export function relationsByType(entity: Entity): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of entity.relations ?? []) (out[r.type] ??= []).push(r.targetRef);
  return out;
}
