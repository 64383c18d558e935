export { scorecardsPlugin, scorecardsFactsRef } from './plugin.js';
export { scorecardKinds } from './config.js';
export { UNKNOWN } from './facts/types.js';
export type { FactProvider, FactContext, FactResult, ScorecardsFactsService } from './facts/types.js';
export type * from '../common/index.js';
