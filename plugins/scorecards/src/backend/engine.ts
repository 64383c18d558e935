import { RELATION_PAIRS, type Entity } from '@atrium/catalog-model';
import { DEFAULT_ERROR_MESSAGE, isCounted, isMet, isUnmet, type RuleResult, type ScorecardDefinition } from '../common/index.js';
import type { LoadedScorecard } from './definitions.js';
import { prepareContext, type EvaluationContext } from './expression.js';
import { matchesSelector } from './selector.js';

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
 * Evaluates one scorecard for one entity. Each rule gets one status (see RULE_STATUS): a rule
 * whose filter does not select the entity is `not-applicable`; before its effective date a rule is
 * `pending` (with a preview of what it would be); otherwise `pass`, `exempt`, `error` (the
 * condition could not be evaluated) or `fail`. Points and the level reached follow from the
 * statuses alone: met statuses score, unmet ones block their level, excluded ones count for nothing.
 */
export function evaluateScorecard(scorecard: LoadedScorecard, rawCtx: EvaluationContext, exemptions: ExemptionSet): ScorecardOutcome {
  const { definition } = scorecard;
  const ctx = prepareContext(rawCtx);
  const rules: RuleResult[] = [];
  let points = 0;
  let maxPoints = 0;
  const today = ctx.now.toISOString().slice(0, 10);
  for (const rule of definition.rules) {
    if (rule.filter && !matchesSelector(rawCtx.entity as Entity, rule.filter)) {
      rules.push({ ruleId: rule.id, status: 'not-applicable' });
      continue;
    }
    const outcome = scorecard.conditions.get(rule.id)!.evaluate(ctx);
    const actualOutcome = scorecard.actuals.get(rule.id)?.evaluate(ctx);
    const shown = actualOutcome ?? outcome;
    const base = { ruleId: rule.id, actual: shown.ok ? render(shown.value) : 'missing', ...(rule.expected ? { expected: rule.expected } : {}) };
    const status: 'pass' | 'fail' | 'error' | 'exempt' =
      outcome.ok && outcome.value === true ? 'pass' : exemptions.has(`${definition.id}/${rule.id}`) ? 'exempt' : outcome.ok ? 'fail' : 'error';
    const message = status === 'error' ? (rule.failureMessage ?? DEFAULT_ERROR_MESSAGE) : status === 'fail' ? rule.failureMessage : undefined;
    const details = { ...(message ? { message } : {}), ...(!outcome.ok ? { detail: outcome.reason } : {}) };
    const result: RuleResult =
      rule.effectiveFrom && rule.effectiveFrom > today ? { ...base, status: 'pending', preview: status, ...details } : { ...base, status, ...details };
    rules.push(result);
    if (isCounted(result.status)) maxPoints += rule.weight;
    if (isMet(result.status)) points += rule.weight;
  }
  return { level: levelReached(definition, rules), points, maxPoints, rules };
}

/** The highest level whose rules, and every lower level's rules, have no unmet status. */
export function levelReached(definition: ScorecardDefinition, results: RuleResult[]): string | null {
  const byId = new Map(results.map((r) => [r.ruleId, r.status]));
  let reached: string | null = null;
  for (const level of definition.levels) {
    const passes = definition.rules.filter((r) => r.level === level.id).every((r) => !isUnmet(byId.get(r.id) ?? 'fail'));
    if (!passes) break;
    reached = level.id;
  }
  return reached;
}

/** The built-in relation types (both directions of every pair). */
export const BUILT_IN_RELATION_TYPES: readonly string[] = RELATION_PAIRS.flat();

/**
 * Relations grouped by type, as the `relations` variable of conditions (`relations.dependsOn`).
 * Every known type is present, as an empty list when the entity has none of it, so
 * `count(relations.dependsOn)` is 0 rather than an error.
 */
export function relationsByType(entity: Entity, knownTypes: Iterable<string> = BUILT_IN_RELATION_TYPES): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const type of knownTypes) out[type] = [];
  for (const r of entity.relations ?? []) (out[r.type] ??= []).push(r.targetRef);
  return out;
}
