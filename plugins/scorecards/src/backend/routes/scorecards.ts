import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import {
  isUnmet,
  RULE_STATUSES,
  type ListScorecardsResponse,
  type RuleStatus,
  type RuleTally,
  type RuleResultsResponse,
  type ScorecardSummary,
} from '../../common/index.js';
import { addTally, emptyTally, groupRollups, ownerRollups } from '../rollups.js';
import { daysQuery, json, normaliseRef, publicRule, restrictedReader, scorecardOr404, stringParams, type ScorecardsRouteServices } from './shared.js';

const notFound = { '404': { description: 'No such scorecard (or rule)' } };

export const listScorecards = defineRoute<ScorecardsRouteServices>({
  method: 'get',
  path: '/scorecards',
  permission: 'scorecards.read',
  summary: 'Scorecards with level distribution, rule pass rates and definition errors',
  response: json('Scorecards'),
  handler: async ({ caller }, services): Promise<ListScorecardsResponse> => {
    const { runtime, store } = services;
    const visible = (await restrictedReader(services, caller))?.visible;
    const items: ScorecardSummary[] = [];
    for (const { definition } of runtime.scorecards) {
      const owners = await ownerRollups(store, definition.id, visible);
      const levelDistribution: Record<string, number> = {};
      const rulePassRates: Record<string, RuleTally> = {};
      let entityCount = 0;
      for (const o of owners) {
        entityCount += o.entityCount;
        for (const [l, n] of Object.entries(o.levels)) levelDistribution[l] = (levelDistribution[l] ?? 0) + n;
        for (const [r, x] of Object.entries(o.rulePassRates)) addTally((rulePassRates[r] ??= emptyTally()), x);
      }
      items.push({ ...definition, entityCount, levelDistribution, rulePassRates });
    }
    return { items, errors: runtime.errors };
  },
});

export const getScorecard = defineRoute<ScorecardsRouteServices, { id: string }>({
  method: 'get',
  path: '/scorecards/:id',
  params: stringParams('id'),
  permission: 'scorecards.read',
  summary: 'One scorecard definition',
  response: json('Scorecard'),
  responses: notFound,
  handler: ({ params }, { runtime }) => scorecardOr404(runtime, params.id).definition,
});

// One rule: its definition, its tally, and the entities with a given status (default: the unmet ones).
export const getScorecardRule = defineRoute<ScorecardsRouteServices, { id: string; ruleId: string }, { status: 'unmet' | 'all' | RuleStatus }>({
  method: 'get',
  path: '/scorecards/:id/rules/:ruleId',
  params: stringParams('id', 'ruleId'),
  query: { type: 'object', properties: { status: { enum: ['unmet', 'all', ...RULE_STATUSES], default: 'unmet' } } },
  permission: 'scorecards.read',
  summary: 'One rule: its definition, status tally and the entities with a status (default: failing or error)',
  response: json('Rule results'),
  responses: notFound,
  handler: async ({ params, query: q, caller }, services): Promise<RuleResultsResponse> => {
    const { runtime, store } = services;
    const { definition } = scorecardOr404(runtime, params.id);
    const rule = definition.rules.find((r) => r.id === params.ruleId);
    if (!rule) throw new NotFoundError(`Scorecard "${definition.id}" has no rule "${params.ruleId}"`);
    const visible = (await restrictedReader(services, caller))?.visible;
    const all = await store.ruleResults(definition.id, rule.id, undefined, visible);
    const tally = emptyTally();
    for (const o of await ownerRollups(store, definition.id, visible)) addTally(tally, o.rulePassRates[rule.id] ?? emptyTally());
    const wanted = (s: RuleStatus) => (q.status === 'all' ? true : q.status === 'unmet' ? isUnmet(s) : s === q.status);
    return {
      scorecard: definition,
      rule,
      tally,
      status: q.status,
      items: all.filter((x) => wanted(x.rule.status)).map((x) => ({ ...x, rule: publicRule(x.rule) })),
    };
  },
});

// For the scorecard's authors: why rules could not be evaluated (the engine's words), per entity.
export const listRuleErrors = defineRoute<ScorecardsRouteServices, Record<string, string>, { scorecard: string; rule?: string }>({
  method: 'get',
  path: '/rule-errors',
  query: { type: 'object', required: ['scorecard'], properties: { scorecard: { type: 'string' }, rule: { type: 'string' } } },
  permission: 'scorecards.rule-errors.read',
  summary: "Why rules could not be evaluated, in the engine's words (for the scorecard's authors)",
  response: json('Rule errors'),
  responses: notFound,
  handler: async ({ query: q, caller }, services) => {
    const { runtime, store } = services;
    const { definition } = scorecardOr404(runtime, q.scorecard);
    const rules = q.rule ? [q.rule] : definition.rules.map((r) => r.id);
    const visible = (await restrictedReader(services, caller))?.visible;
    const items = [];
    for (const ruleId of rules) {
      for (const x of await store.ruleResults(definition.id, ruleId, undefined, visible)) {
        if (x.rule.detail) items.push({ entityRef: x.entityRef, scorecardId: definition.id, ruleId, status: x.rule.status, detail: x.rule.detail });
      }
    }
    return { items };
  },
});

export const getScorecardRollups = defineRoute<ScorecardsRouteServices, { id: string }, { by: 'owner' | 'group' }>({
  method: 'get',
  path: '/scorecards/:id/rollups',
  params: stringParams('id'),
  query: { type: 'object', properties: { by: { enum: ['owner', 'group'], default: 'owner' } } },
  permission: 'scorecards.read',
  summary: 'Rollups per owner or per group hierarchy',
  response: json('Rollups'),
  responses: notFound,
  handler: async ({ params, query: q, caller }, services) => {
    const { runtime, store, catalog } = services;
    const id = scorecardOr404(runtime, params.id).definition.id;
    const reader = await restrictedReader(services, caller);
    return { items: q.by === 'group' ? await groupRollups(store, catalog, id, reader) : await ownerRollups(store, id, reader?.visible) };
  },
});

export const getScorecardTrend = defineRoute<ScorecardsRouteServices, { id: string }, { days: number; owner?: string }>({
  method: 'get',
  path: '/scorecards/:id/trend',
  params: stringParams('id'),
  query: daysQuery,
  permission: 'scorecards.read',
  summary: 'Daily level distribution for trend charts (empty, with restricted: true, for a caller who may not read every entity)',
  response: json('Trend'),
  responses: notFound,
  handler: async ({ params, query: q, caller }, services) => {
    const { runtime, store } = services;
    const id = scorecardOr404(runtime, params.id).definition.id;
    // The daily snapshots count every entity per owner and cannot be narrowed to some entities.
    if (await restrictedReader(services, caller)) return { items: [], restricted: true };
    const since = new Date(Date.now() - q.days * 86_400_000).toISOString().slice(0, 10);
    return { items: await store.dailyLevels(id, since, q.owner ? [normaliseRef(q.owner)] : undefined) };
  },
});
