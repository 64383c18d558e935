import { defineRoute, NotFoundError } from '@atrium/backend-plugin-api';
import { initiativeProgress } from '../initiatives.js';
import { json, restrictedReader, scorecardOr404, stringParams, type ScorecardsRouteServices } from './shared.js';

export const listInitiatives = defineRoute<ScorecardsRouteServices>({
  method: 'get',
  path: '/initiatives',
  permission: 'scorecards.read',
  summary: 'Initiatives with progress',
  response: json('Initiatives'),
  handler: async ({ caller }, services) => {
    const { runtime, store, catalog } = services;
    // A restricted caller's progress counts only the entities it may read (and has no recorded burn-up).
    const reader = await restrictedReader(services, caller);
    const items = [];
    for (const initiative of runtime.initiatives) {
      const s = runtime.scorecard(initiative.scorecard);
      if (!s) continue;
      const p = await initiativeProgress(initiative, s.definition, catalog, store, new Date(), reader?.caller);
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
  handler: async ({ params, caller }, services) => {
    const { runtime, store, catalog } = services;
    const initiative = runtime.initiatives.find((i) => i.id === params.id);
    if (!initiative) throw new NotFoundError(`No initiative "${params.id}"`);
    const s = scorecardOr404(runtime, initiative.scorecard);
    const reader = await restrictedReader(services, caller);
    return { ...(await initiativeProgress(initiative, s.definition, catalog, store, new Date(), reader?.caller)), scorecard: s.definition };
  },
});
