import { InputError, NotFoundError, type AuditService, type Caller, type JsonSchema, type PermissionsService } from '@atrium/backend-plugin-api';
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
  permissions: PermissionsService;
  triggerSweep(): Promise<void>;
}

/** A caller whose catalog reads a policy restricts, with the entity refs it may read. */
export interface RestrictedReader {
  caller: Caller;
  visible: string[];
}

/**
 * Undefined when the caller may read every entity (nothing is added to any query); otherwise
 * the refs it may read, from the catalog (which applies the caller's policy predicate in SQL),
 * for `entity_ref = any(?)` in the scorecards' own queries: per-entity rows of other entities
 * are neither listed nor counted.
 */
export async function restrictedReader(s: Pick<ScorecardsRouteServices, 'permissions' | 'catalog'>, caller: Caller): Promise<RestrictedReader | undefined> {
  const c = await s.permissions.queryConditions(caller, 'catalog.entity.read');
  if (c.result === 'all') return undefined;
  if (c.result === 'none') return { caller, visible: [] };
  const { items } = await s.catalog.getEntities({ fields: ['kind', 'metadata.namespace', 'metadata.name'], caller });
  return { caller, visible: items.map((e) => stringifyEntityRef(e)) };
}

/** Whether the caller may read one entity (a missing one counts as readable: it has no rows anyway). */
export async function mayRead(s: Pick<ScorecardsRouteServices, 'permissions'>, caller: Caller, entityRef: string): Promise<boolean> {
  return (await s.permissions.authorize(caller, { permission: 'catalog.entity.read', resourceRef: entityRef })).result === 'ALLOW';
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
  properties: {
    days: { type: 'integer', minimum: 1, maximum: 3650, default: 90 },
    owner: { type: 'string' },
    entityRef: { type: 'string' },
    scorecard: { type: 'string' },
  },
};

export const json = (description: string) => ({ description, schema: { type: 'object' } });
