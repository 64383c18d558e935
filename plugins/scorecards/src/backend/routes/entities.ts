import { defineRoute } from '@atrium/backend-plugin-api';
import { isUnmet, levelRank, type EntityResultsResponse } from '../../common/index.js';
import { json, mayRead, normaliseRef, publicResult, restrictedReader, stringParams, type ScorecardsRouteServices } from './shared.js';

export const getEntityResults = defineRoute<ScorecardsRouteServices, { kind: string; namespace: string; name: string }>({
  method: 'get',
  path: '/entities/:kind/:namespace/:name',
  params: stringParams('kind', 'namespace', 'name'),
  permission: 'scorecards.read',
  summary: 'Results and facts of one entity',
  response: json('Results'),
  handler: async ({ params, caller }, services): Promise<EntityResultsResponse> => {
    const { runtime, store } = services;
    const ref = normaliseRef(`${params.kind}:${params.namespace}/${params.name}`);
    // An entity the caller may not read is answered like one without results.
    if (!(await mayRead(services, caller, ref))) return { entityRef: ref, results: [], facts: {} };
    const [results, facts] = await Promise.all([store.results({ entityRef: ref }), store.loadFacts([ref])]);
    return {
      entityRef: ref,
      results: results.flatMap((r) => {
        const s = runtime.scorecard(r.scorecardId);
        return s ? [{ ...publicResult(r), scorecard: s.definition }] : [];
      }),
      facts: facts.get(ref)?.facts ?? {},
    };
  },
});

interface FixNextItem {
  scorecardId: string;
  ruleId: string;
  title: string;
  level: string;
  levelRank: number;
  weight: number;
  failureMessage?: string;
  entityRefs: string[];
  pointsAtStake: number;
}

// What a team should fix next: failing rules over its entities, lowest level first, then by points at stake.
export const getOwnerFixNext = defineRoute<ScorecardsRouteServices, { ownerRef: string }>({
  method: 'get',
  path: '/owners/:ownerRef/fix-next',
  params: stringParams('ownerRef'),
  permission: 'scorecards.read',
  summary: "A team's failing rules, ordered by what to fix next",
  response: json('Fix list'),
  handler: async ({ params, caller }, services) => {
    const { runtime, store } = services;
    const owner = normaliseRef(params.ownerRef);
    const results = await store.results({ owners: [owner], visible: (await restrictedReader(services, caller))?.visible });
    const items = new Map<string, FixNextItem>();
    for (const r of results) {
      const s = runtime.scorecard(r.scorecardId);
      if (!s) continue;
      for (const rr of r.rules) {
        if (!isUnmet(rr.status)) continue;
        const rule = s.definition.rules.find((x) => x.id === rr.ruleId);
        if (!rule) continue;
        const key = `${s.definition.id}/${rule.id}`;
        const item =
          items.get(key) ??
          items
            .set(key, {
              scorecardId: s.definition.id,
              ruleId: rule.id,
              title: rule.title,
              level: rule.level,
              levelRank: levelRank(s.definition, rule.level),
              weight: rule.weight,
              ...(rule.failureMessage ? { failureMessage: rule.failureMessage } : {}),
              entityRefs: [],
              pointsAtStake: 0,
            })
            .get(key)!;
        item.entityRefs.push(r.entityRef);
        item.pointsAtStake += rule.weight;
      }
    }
    const sorted = [...items.values()].sort((a, b) => a.levelRank - b.levelRank || b.pointsAtStake - a.pointsAtStake || a.ruleId.localeCompare(b.ruleId));
    return { owner, results: results.map(publicResult), items: sorted };
  },
});
