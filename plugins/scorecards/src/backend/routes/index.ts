import type { RouteDefinition } from '@atrium/backend-plugin-api';
import { getEntityResults, getOwnerFixNext } from './entities.js';
import { createExemption, deleteExemption, grantExemption, listExemptions, requestExemption } from './exemptions.js';
import { exportCsv, getHistory } from './history.js';
import { getInitiative, listInitiatives } from './initiatives.js';
import { getScorecard, getScorecardRollups, getScorecardRule, getScorecardTrend, listRuleErrors, listScorecards } from './scorecards.js';
import type { ScorecardsRouteServices } from './shared.js';
import { evaluateNow, getStatus } from './status.js';

export type { ScorecardsRouteServices };

/** Every Scorecards route, in mount order: the plugin definition lists them (OpenAPI) and setup() mounts them. */
export const scorecardsRoutes: RouteDefinition<ScorecardsRouteServices>[] = [
  listScorecards,
  getScorecard,
  getScorecardRule,
  listRuleErrors,
  getScorecardRollups,
  getScorecardTrend,
  getEntityResults,
  getOwnerFixNext,
  getHistory,
  exportCsv,
  listInitiatives,
  getInitiative,
  listExemptions,
  createExemption,
  requestExemption,
  grantExemption,
  deleteExemption,
  evaluateNow,
  getStatus,
];
