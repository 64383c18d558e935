import { InputError, NotFoundError, type AuditService, type JsonSchema } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import type { EntityScorecardResult, RuleResult } from '../../common/index.js';
import type { ScorecardsRuntime } from '../runtime.js';
import type { ScorecardStore } from '../store.js';

/** What the Scorecards route handlers use, passed to mountRoutes by setup(). */
export interface ScorecardsRouteServices {
  runtime: ScorecardsRuntime;
  store: ScorecardStore;
  catalog: CatalogService;
  audit: AuditService;
  triggerSweep(): Promise<void>;
}

export function normaliseRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch (e) {
    throw new InputError(`Invalid entity ref "${ref}": ${(e as Error).message}`);
  }
}

export function scorecardOr404(runtime: ScorecardsRuntime, id: string) {
  const s = runtime.scorecard(id);
  if (!s) throw new NotFoundError(`No scorecard "${id}"`);
  return s;
}

/** A rule result as everyone may read it: the engine's own reason (`detail`) stays with GET /rule-errors. */
export function publicRule({ detail: _detail, ...rule }: RuleResult): RuleResult {
  return rule;
}
export const publicResult = <T extends EntityScorecardResult>(r: T): T => ({ ...r, rules: r.rules.map(publicRule) });

const name = { type: 'string', minLength: 1, maxLength: 300 };

/** Path parameters: each named one a non-empty string. */
export function stringParams(...names: string[]): JsonSchema {
  return { type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, name])) };
}

export const daysQuery: JsonSchema = {
  type: 'object',
  properties: { days: { type: 'integer', minimum: 1, maximum: 3650, default: 90 }, owner: { type: 'string' }, entityRef: { type: 'string' }, scorecard: { type: 'string' } },
};

export const json = (description: string) => ({ description, schema: { type: 'object' } });
