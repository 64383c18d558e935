import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import { initiativeProgress } from '../initiatives.js';
import { json, scorecardOr404, stringParams, type ScorecardsRouteServices } from './shared.js';

export const listInitiatives = defineRoute<ScorecardsRouteServices>({
  method: 'get',
  path: '/initiatives',
  permission: 'scorecards.read',
  summary: 'Initiatives with progress',
  response: json('Initiatives'),
  handler: async (_request, { runtime, store, catalog }) => {
    const items = [];
    for (const initiative of runtime.initiatives) {
      const s = runtime.scorecard(initiative.scorecard);
      if (!s) continue;
      const p = await initiativeProgress(initiative, s.definition, catalog, store);
      items.push({ ...initiative, total: p.total, passing: p.passing, daysLeft: p.daysLeft });
    }
    return { items, errors: runtime.errors.filter((e) => e.initiative) };
  },
});

export const getInitiative = defineRoute<ScorecardsRouteServices, { id: string }>({
  method: 'get',
  path: '/initiatives/:id',
  params: stringParams('id'),
  permission: 'scorecards.read',
  summary: 'Initiative progress: burn-up, teams, failing entities',
  response: json('Initiative'),
  responses: { '404': { description: 'No such initiative' } },
  handler: async ({ params }, { runtime, store, catalog }) => {
    const initiative = runtime.initiatives.find((i) => i.id === params.id);
    if (!initiative) throw new NotFoundError(`No initiative "${params.id}"`);
    const s = scorecardOr404(runtime, initiative.scorecard);
    return { ...(await initiativeProgress(initiative, s.definition, catalog, store)), scorecard: s.definition };
  },
});
