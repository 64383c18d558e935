/** App paths of the scorecards pages, in one place so links and routes agree. */
export const SCORECARDS_PATH = '/scorecards';
export const scorecardPath = (id: string) => `${SCORECARDS_PATH}/${encodeURIComponent(id)}`;
export const rulePath = (scorecardId: string, ruleId: string) => `${scorecardPath(scorecardId)}/rules/${encodeURIComponent(ruleId)}`;
export const initiativePath = (id: string) => `${SCORECARDS_PATH}/initiatives/${encodeURIComponent(id)}`;
export const teamPath = (ownerRef: string) => `${SCORECARDS_PATH}/teams/${encodeURIComponent(ownerRef)}`;
