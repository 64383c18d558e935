import { createAjv, type EventsService, type Logger } from '@atrium/backend-plugin-api';
import type { WaitService } from './waits.js';

/**
 * The topic source-control integrations publish when a pull/merge request is closed (merged or
 * not). The integrations plugin declares it (with its payload type) in its `common/`; the
 * scaffolder, which that plugin depends on, reads it by name and checks the payload itself.
 */
export const PULL_REQUEST_CLOSED_TOPIC = 'integrations.pull-request.closed';

/** The fields of the payload the scaffolder uses. */
interface PullRequestClosed {
  provider: string;
  repository: string;
  number: number;
  merged: boolean;
  /** The request's web and API URLs: a waiting step names one of them. */
  urls: string[];
  mergeCommitSha?: string;
}

const validate = createAjv({ useDefaults: false }).compile<PullRequestClosed>({
  type: 'object',
  required: ['provider', 'repository', 'number', 'merged', 'urls'],
  properties: {
    provider: { type: 'string', minLength: 1, maxLength: 100 },
    repository: { type: 'string', minLength: 1, maxLength: 500 },
    number: { type: 'integer', minimum: 0 },
    merged: { type: 'boolean' },
    urls: { type: 'array', minItems: 1, maxItems: 10, items: { type: 'string', minLength: 1, maxLength: 2000 } },
    mergeCommitSha: { type: 'string', maxLength: 100 },
  },
});

/**
 * Ends `wait:pull-request` steps as soon as an integration reports their pull request closed,
 * instead of at the next poll (which stays, with its backoff, for hosts without webhooks and for
 * events missed while no replica ran). Every replica receives the event; the wait ends once.
 * Returns the unsubscribe function.
 */
export function followPullRequestEvents(events: EventsService, waits: Pick<WaitService, 'pullRequestClosed'>, logger: Logger): () => void {
  return events.subscribe<unknown>(PULL_REQUEST_CLOSED_TOPIC, async (event) => {
    const payload = event.payload;
    if (!validate(payload)) {
      logger.warn({ errors: validate.errors }, `scaffolder: ignored a ${PULL_REQUEST_CLOSED_TOPIC} event whose payload is not as expected`);
      return;
    }
    const what = payload.provider === 'gitlab' ? `merge request !${payload.number}` : `pull request #${payload.number}`;
    const detail = payload.merged
      ? `${what} of ${payload.repository} merged${payload.mergeCommitSha ? ` as ${payload.mergeCommitSha.slice(0, 12)}` : ''}, reported by a ${payload.provider} webhook`
      : `${what} of ${payload.repository} closed, reported by a ${payload.provider} webhook`;
    try {
      const ended = await waits.pullRequestClosed({ urls: payload.urls, merged: payload.merged, detail, source: 'plugin:integrations' });
      if (ended > 0) logger.info({ repository: payload.repository, number: payload.number, ended }, `scaffolder: ${detail}: ended ${ended} waiting steps`);
    } catch (e) {
      // The poll still ends the wait later.
      logger.warn({ err: e, repository: payload.repository, number: payload.number }, 'scaffolder: could not end the waits on a closed pull request');
    }
  });
}
