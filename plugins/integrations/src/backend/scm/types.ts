import type { EntityScmChange, EntityScmCommit, EntityScmRun, EntityScmSummary } from '../../common/index.js';

/**
 * A reader's answer: the three parts settled one by one, so one failing request leaves the
 * others (a rejection carries the client's own error; the service words it for the card).
 */
export interface ScmRead extends Pick<EntityScmSummary, 'provider' | 'host' | 'project' | 'projectUrl' | 'fetchedAt'> {
  runs: PromiseSettledResult<EntityScmRun[]>;
  changes: PromiseSettledResult<EntityScmChange[]>;
  lastCommit: PromiseSettledResult<EntityScmCommit | null>;
}
