/**
 * Types shared by the scorecards backend, its UI and other plugins: scorecard and initiative
 * definitions, evaluation results, rollups, and the fact-provider contract.
 */
import type { RuleStatus } from './status.js';

/** One level of a scorecard's ladder, lowest first in `levels`. */
export interface ScorecardLevel {
  id: string;
  title: string;
  /** CSS colour, e.g. `#cd7f32`. */
  color: string;
}

export interface ScorecardRule {
  id: string;
  title: string;
  description?: string;
  /** Level id this rule belongs to; the level is reached when its rules and all lower levels' pass. */
  level: string;
  /** Points this rule is worth (default 1). */
  weight: number;
  /** A CEL expression over `entity`, `facts`, `relations` and `now`; must yield a boolean. */
  condition: string;
  /** Tells the owner how to fix a failure. */
  failureMessage?: string;
  /** What a passing value looks like, shown next to the actual value. */
  expected?: string;
  /** CEL expression whose value is shown as the "actual" value (default: the condition's facts). */
  actual?: string;
  /** ISO date from which the rule counts; before it the rule is announced but scores nothing. */
  effectiveFrom?: string;
  /** Which of the scorecard's entities the rule applies to; for the others it is `not-applicable`. */
  filter?: EntitySelector;
}

/**
 * Which entities a scorecard or initiative applies to. Every key must match (AND); a list
 * value matches any of its items (OR). Keys: `kind`, `type` (spec.type), `lifecycle`, `owner`,
 * `tags` (any tag), `namespace`, or any dot path into the entity (e.g. `spec.system`).
 */
export type EntitySelector = Record<string, string | string[]>;

export interface ScorecardDefinition {
  id: string;
  title: string;
  description?: string;
  filter: EntitySelector;
  levels: ScorecardLevel[];
  rules: ScorecardRule[];
  /** Where it came from: `config` or the Scorecard entity ref. */
  source: string;
}

export interface InitiativeDefinition {
  id: string;
  title: string;
  description?: string;
  scorecard: string;
  /** Entities pass when they reach this level ... */
  targetLevel?: string;
  /** ... or when all these rules pass (one of the two is required). */
  rules?: string[];
  filter: EntitySelector;
  /** Entity ref of the owning group or user. */
  owner: string;
  startDate: string;
  deadline: string;
  source: string;
}

/** A problem found while loading definitions; the rest keeps working. */
export interface DefinitionError {
  source: string;
  scorecard?: string;
  initiative?: string;
  rule?: string;
  message: string;
}

export interface RuleResult {
  ruleId: string;
  /** See RULE_STATUS in status.ts for what each status means and how it counts. */
  status: RuleStatus;
  /** The value the rule looked at, rendered for people. */
  actual?: string;
  expected?: string;
  /** For people: the rule's failureMessage when it fails or errs; never the engine's own words. */
  message?: string;
  /** For an upcoming (`pending`) rule: what it would be if it counted today. */
  preview?: 'pass' | 'fail' | 'error' | 'exempt';
  /**
   * The engine's reason for an `error` (e.g. "No such key: domain"). Stored for the scorecard's
   * authors (GET /rule-errors, logs); removed from results served to everyone else.
   */
  detail?: string;
}

export interface EntityScorecardResult {
  entityRef: string;
  scorecardId: string;
  owner: string | null;
  /** Highest level reached, or null when not even the lowest level is reached. */
  level: string | null;
  points: number;
  maxPoints: number;
  rules: RuleResult[];
  evaluatedAt: string;
  changedAt: string;
}

export interface HistoryPoint {
  entityRef: string;
  scorecardId: string;
  level: string | null;
  points: number;
  maxPoints: number;
  passedRules: string[];
  recordedAt: string;
}

/** Aggregate over a set of entities for one scorecard. */
export interface ScorecardRollup {
  key: string;
  scorecardId: string;
  entityCount: number;
  /** Entities per level id; `none` for entities below the lowest level. */
  levels: Record<string, number>;
  points: number;
  maxPoints: number;
  /** Per rule id: how many results had each kind of status (see RuleTally). */
  rulePassRates: Record<string, RuleTally>;
}

/**
 * Results of one rule over a set of entities. `passed / total` is its pass rate: `total` holds
 * only statuses that count (passing, failing, error, exempt); upcoming and not-applicable results
 * are tallied apart, so a rule nobody is held to yet never shows a pass rate.
 */
export interface RuleTally {
  /** Passing or exempt. */
  passed: number;
  /** Passing, failing, error or exempt. */
  total: number;
  /** Failing or error: the entities to fix. */
  unmet: number;
  /** Upcoming results, and of those the ones that would already pass. */
  upcoming: number;
  ready: number;
  notApplicable: number;
}

export interface GroupRollup extends ScorecardRollup {
  /** Child groups, each including its own descendants. */
  children: GroupRollup[];
}

export interface FactValue {
  value: unknown;
  /** `unknown` when no provider could tell (e.g. no TechDocs plugin installed). */
  status: 'known' | 'unknown';
  provider: string;
  updatedAt: string;
}
export type EntityFacts = Record<string, FactValue>;

export interface Exemption {
  id: string;
  entityRef: string;
  scorecardId: string;
  ruleId: string;
  reason: string;
  /** `requested`: waiting for someone to grant it, counts for nothing; `granted`: the rule counts as passed until `expiresAt`. */
  status: 'requested' | 'granted';
  /** Who asked for it (requests made from the UI); null for exemptions granted directly. */
  requestedBy: string | null;
  /** Who granted it; null while requested. */
  approvedBy: string | null;
  expiresAt: string;
  createdAt: string;
  grantedAt: string | null;
}

export interface InitiativeProgress {
  initiative: InitiativeDefinition;
  total: number;
  passing: number;
  daysLeft: number;
  burnUp: Array<{ day: string; passing: number; total: number }>;
  teams: Array<{ owner: string; total: number; passing: number }>;
  failing: Array<{ entityRef: string; owner: string | null; level: string | null; failingRules: string[]; daysLeft: number }>;
}

export interface ScorecardSummary extends ScorecardDefinition {
  entityCount: number;
  levelDistribution: Record<string, number>;
  rulePassRates: Record<string, RuleTally>;
}

/** GET /scorecards */
export interface ListScorecardsResponse {
  items: ScorecardSummary[];
  errors: DefinitionError[];
}

/** GET /entities/:kind/:namespace/:name */
export interface EntityResultsResponse {
  entityRef: string;
  results: Array<EntityScorecardResult & { scorecard: ScorecardDefinition }>;
  facts: EntityFacts;
}

/** GET /scorecards/:id/rules/:ruleId */
export interface RuleResultsResponse {
  scorecard: ScorecardDefinition;
  rule: ScorecardRule;
  tally: RuleTally;
  /** Which results `items` holds: `unmet` (failing or error, the default), `all`, or one status. */
  status: string;
  items: Array<{ entityRef: string; owner: string | null; level: string | null; rule: RuleResult }>;
}

/**
 * GET /status `catalogChanges`: how far this replica's evaluation of catalog changes has got.
 * `idle` is true when nothing is queued or being evaluated; `caughtUpAt` is when the queue last
 * became empty (null before the first batch). Counts are since the process started: `heard`
 * changes queued (an entity queued twice before its batch counts twice), `entities` evaluated
 * (or removed) in `batches` batches.
 */
export interface CatalogChangesStatus {
  idle: boolean;
  queued: number;
  heard: number;
  batches: number;
  entities: number;
  lastBatchAt: string | null;
  caughtUpAt: string | null;
}

/** Topic published after an entity's results change. */
export const SCORECARDS_EVENTS = { resultChanged: 'scorecards.result.changed' } as const;
