/**
 * The one definition of what a rule result means. The engine (levels and points), the stored
 * aggregates (pass rates), initiatives, "fix next", the CSV export, notifications and every page
 * read these, so a status never counts one way in one view and another way in the next.
 */

export type RuleStatus = 'pass' | 'fail' | 'error' | 'exempt' | 'pending' | 'not-applicable';

/**
 * How a status counts:
 * - `met`: counts as passed (points, levels, initiatives, pass rates);
 * - `unmet`: counts as not passed, and is what owners are asked to fix;
 * - `excluded`: counts for nothing: no points, blocks no level, not in pass rates, not failing.
 */
export type StatusCount = 'met' | 'unmet' | 'excluded';

export interface RuleStatusInfo {
  label: string;
  /** One sentence for people, shown as the badge's tooltip and in the docs. */
  meaning: string;
  /** Mantine colour of the badge. */
  color: string;
  counts: StatusCount;
}

export const RULE_STATUS: Readonly<Record<RuleStatus, RuleStatusInfo>> = {
  pass: { label: 'Passing', meaning: 'The condition holds for this entity.', color: 'green', counts: 'met' },
  fail: { label: 'Failing', meaning: 'The condition does not hold for this entity.', color: 'red', counts: 'unmet' },
  error: {
    label: 'Error',
    meaning: 'The condition could not be checked for this entity (for example it reads a field the entity does not have); it counts as failing.',
    color: 'orange',
    counts: 'unmet',
  },
  exempt: { label: 'Exempt', meaning: 'An approved exemption makes this rule count as passed until it expires.', color: 'blue', counts: 'met' },
  pending: {
    label: 'Upcoming',
    meaning: 'The rule counts from its effective date; until then it scores nothing and blocks nothing.',
    color: 'gray',
    counts: 'excluded',
  },
  'not-applicable': {
    label: 'Not applicable',
    meaning: "The rule's filter does not select this entity, so it scores nothing and blocks nothing.",
    color: 'gray',
    counts: 'excluded',
  },
};

export const RULE_STATUSES = Object.keys(RULE_STATUS) as RuleStatus[];
export const statusesThatCount = (counts: StatusCount): RuleStatus[] => RULE_STATUSES.filter((s) => RULE_STATUS[s].counts === counts);
/** Passed: points and levels. */
export const MET_STATUSES = statusesThatCount('met');
/** Not passed: blocks the level, listed under "fix next" and as failing in initiatives. */
export const UNMET_STATUSES = statusesThatCount('unmet');
/** In a pass rate's denominator. */
export const COUNTED_STATUSES = [...MET_STATUSES, ...UNMET_STATUSES];

export const isMet = (s: RuleStatus): boolean => RULE_STATUS[s]?.counts === 'met';
export const isUnmet = (s: RuleStatus): boolean => RULE_STATUS[s]?.counts === 'unmet';
export const isCounted = (s: RuleStatus): boolean => isMet(s) || isUnmet(s);

/** What an error result tells people when the rule has no failureMessage; the engine's reason stays in logs. */
export const DEFAULT_ERROR_MESSAGE = 'This rule could not be checked for this entity.';
