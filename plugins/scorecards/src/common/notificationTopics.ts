/** Topics of the notifications scorecards sends (source `scorecards`); also the webhook's `type`. */
export const SCORECARD_NOTIFICATION_TOPICS = {
  /** An entity's level on a scorecard went down; sent to its owner. */
  levelDrop: 'scorecards.level-drop',
  /** An initiative's deadline is near and the owner still has failing entities; rewritten each sweep. */
  deadline: 'scorecards.deadline',
} as const;
