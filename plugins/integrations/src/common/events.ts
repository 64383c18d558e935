import { defineEventTopic } from '@atrium/backend-plugin-api/eventTopics';

/**
 * A pull request (GitHub) or merge request (GitLab) was closed, merged or not, as a signed
 * webhook reported it. The scaffolder ends the `wait:pull-request` steps waiting on it.
 */
export interface PullRequestClosedEvent {
  provider: 'github' | 'gitlab';
  /** The host of its web URL, e.g. `github.com`. */
  host: string;
  /** `owner/repo` or `group/subgroup/project`. */
  repository: string;
  /** The pull request number (GitHub) or the merge request iid (GitLab). */
  number: number;
  merged: boolean;
  /** Its web URL first, then its API URL when the payload has one: what a waiting step may name. */
  urls: string[];
  mergeCommitSha?: string;
  /** The webhook delivery it came from (X-GitHub-Delivery, Idempotency-Key). */
  deliveryId?: string;
}

export const integrationsPullRequestClosed = defineEventTopic<PullRequestClosedEvent>('integrations.pull-request.closed');
