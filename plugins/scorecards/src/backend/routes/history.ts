import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import { isUnmet } from '../../common/index.js';
import { daysQuery, json, mayRead, normaliseRef, restrictedReader, type ScorecardsRouteServices } from './shared.js';

export const getHistory = defineRoute<ScorecardsRouteServices, Record<string, string>, { days: number; entityRef?: string; scorecard?: string }>({
  method: 'get',
  path: '/history',
  query: daysQuery,
  permission: 'scorecards.read',
  summary: 'Result changes of an entity or scorecard (give entityRef or scorecard)',
  response: json('History'),
  handler: async ({ query: q, caller }, services) => {
    if (!q.entityRef && !q.scorecard) throw new InputError('Give entityRef or scorecard');
    const entityRef = q.entityRef ? normaliseRef(q.entityRef) : undefined;
    // A hidden entity has no history, like a missing one; a scorecard's history lists readable entities only.
    if (entityRef && !(await mayRead(services, caller, entityRef))) return { items: [] };
    return {
      items: await services.store.history({
        ...(entityRef ? { entityRef } : { visible: (await restrictedReader(services, caller))?.visible }),
        ...(q.scorecard ? { scorecardId: q.scorecard } : {}),
        since: new Date(Date.now() - q.days * 86_400_000),
        limit: 10_000,
      }),
    };
  },
});

/** Wraps a CSV field: quotes, doubled quotes, and a leading ' against formula injection. */
function csv(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const exportCsv = defineRoute<ScorecardsRouteServices, Record<string, string>, { scorecard?: string; owner?: string }>({
  method: 'get',
  path: '/export.csv',
  query: { type: 'object', properties: { scorecard: { type: 'string' }, owner: { type: 'string' } } },
  permission: 'scorecards.read',
  summary: 'Results as CSV (of the entities the caller may read)',
  response: { description: 'CSV', contentType: 'text/csv', schema: { type: 'string' } },
  handler: async ({ query: q, res, caller }, services) => {
    const visible = (await restrictedReader(services, caller))?.visible;
    const results = await services.store.results({
      ...(q.scorecard ? { scorecardId: q.scorecard } : {}),
      ...(q.owner ? { owners: [normaliseRef(q.owner)] } : {}),
      visible,
    });
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="scorecards${q.scorecard ? `-${q.scorecard}` : ''}.csv"`);
    const lines = ['entity_ref,scorecard,owner,level,points,max_points,failing_rules,evaluated_at'];
    for (const r of results) {
      const failing = r.rules
        .filter((x) => isUnmet(x.status))
        .map((x) => x.ruleId)
        .join(' ');
      lines.push([r.entityRef, r.scorecardId, r.owner, r.level ?? '', r.points, r.maxPoints, failing, r.changedAt].map(csv).join(','));
    }
    res.send(`${lines.join('\n')}\n`);
  },
});
