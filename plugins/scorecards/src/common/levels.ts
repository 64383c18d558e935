import type { ScorecardDefinition } from './types.js';

/** Rank of a level within a scorecard: 0 = none reached, 1 = the lowest level, ... */
export function levelRank(scorecard: Pick<ScorecardDefinition, 'levels'>, level: string | null): number {
  if (!level) return 0;
  return scorecard.levels.findIndex((l) => l.id === level) + 1;
}
