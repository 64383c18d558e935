import { defineRoute } from '@atrium/backend-plugin-api';
import { json, type ScorecardsRouteServices } from './shared.js';

export const evaluateNow = defineRoute<ScorecardsRouteServices>({
  method: 'post',
  path: '/evaluate',
  permission: 'scorecards.evaluate',
  summary: 'Run a full evaluation now',
  response: json('Sweep stats'),
  handler: async (_request, { runtime, triggerSweep }) => {
    await triggerSweep();
    return { lastSweep: runtime.lastSweep ?? null };
  },
});

export const getStatus = defineRoute<ScorecardsRouteServices>({
  method: 'get',
  path: '/status',
  permission: 'scorecards.read',
  summary: 'Last sweep, definition errors, fact providers, catch-up with catalog changes',
  response: json('Status'),
  handler: (_request, { runtime }) => ({
    lastSweep: runtime.lastSweep ?? null,
    sweeping: runtime.sweeping,
    catalogChanges: runtime.catalogChanges(),
    errors: runtime.errors,
    facts: runtime.providers.map((p) => ({ provider: p.id, facts: p.facts })),
  }),
});
