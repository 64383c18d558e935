import crypto from 'node:crypto';
import { AuthenticationError, defineRoute, ServiceUnavailableError, type AuditService, type Caller, type Logger } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import type { IntegrationModuleRuntime, IntegrationRouteServices } from '../modules.js';
import type { GitLabDiscovery } from './discovery.js';
import type { PullRequestClosedEvent } from '../../common/index.js';
import { gitlabMergeRequestClosed } from '../pullRequestEvents.js';

/** What the GitLab module adds to the shared module runtime. */
export interface GitLabRuntime extends IntegrationModuleRuntime {
  handleWebhook(delivery: { headers: Record<string, string | string[] | undefined>; body: unknown }): Promise<WebhookAnswer>;
  /** Resolves when the work started by webhooks so far is done (tests, shutdown). */
  idle(): Promise<void>;
}

export interface WebhookAnswer {
  status: 'accepted' | 'ignored';
  event: string;
  reason?: string;
  targets?: string[];
}

function digest(value: string): Buffer {
  return crypto.createHash('sha256').update(value, 'utf8').digest();
}

/** Equal in constant time for equal-length digests; every secret is compared, no early exit. */
export function matchingSecrets<T>(given: string, candidates: Array<{ secret: string | undefined; value: T }>): T[] {
  const g = digest(given);
  const out: T[] = [];
  for (const c of candidates) {
    if (!c.secret) continue;
    if (crypto.timingSafeEqual(g, digest(c.secret))) out.push(c.value);
  }
  return out;
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

interface Payload {
  object_kind?: string;
  event_name?: string;
  ref?: string;
  project_id?: number;
  project?: { id?: number; path_with_namespace?: string; default_branch?: string };
  path_with_namespace?: string;
  old_path_with_namespace?: string;
  [key: string]: unknown;
}

const ORG_EVENTS = new Set([
  'user_add_to_group',
  'user_remove_from_group',
  'user_update_for_group',
  'group_create',
  'group_destroy',
  'group_rename',
  'subgroup_create',
  'subgroup_destroy',
  'member',
]);

/**
 * Handles one GitLab webhook or system-hook delivery:
 * - `X-Gitlab-Token` must equal the `webhookSecret` of at least one discovery target (compared in
 *   constant time); otherwise 401, audited, and nothing is refreshed. Only the targets whose secret
 *   matched are acted on.
 * - A delivery whose `Idempotency-Key` (or, for older GitLab, `X-Gitlab-Event-UUID`) was seen before
 *   is ignored (the ids are stored in `webhook_deliveries`, shared by every replica).
 * - push to the branch discovery reads (and system hooks' `repository_update`) re-reads that
 *   project; `project_create`/`project_update`/`project_rename`/`project_transfer` re-read it (a
 *   rename or transfer out of the group removes its entities); `project_destroy` removes them;
 *   group and membership events re-run the group sync; a merge request merged or closed is
 *   published for the scaffolder's waiting steps. Anything else is logged and ignored.
 * The work runs after the answer (GitLab wants a quick one); it takes a few API calls.
 */
export class GitLabWebhooks {
  private pending = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      db: Knex;
      logger: Logger;
      audit: AuditService;
      targets: () => GitLabDiscovery[];
      actor: Caller;
      /** A merge request merged or closed (the scaffolder's waiting steps follow it). */
      mergeRequestClosed?: (event: PullRequestClosedEvent) => Promise<void>;
    },
  ) {}

  idle(): Promise<void> {
    return Promise.allSettled([...this.pending]).then(() => undefined);
  }

  async handle(delivery: { headers: Record<string, string | string[] | undefined>; body: unknown }): Promise<WebhookAnswer> {
    const { db, logger, audit, actor } = this.deps;
    const headers = delivery.headers;
    const body = (delivery.body ?? {}) as Payload;
    const event = String(body.object_kind ?? body.event_name ?? header(headers, 'x-gitlab-event') ?? 'unknown').slice(0, 100);
    const token = header(headers, 'x-gitlab-token');
    const candidates = this.deps.targets().map((t) => ({ secret: t.target.webhookSecret, value: t }));
    const targets = typeof token === 'string' && token.length > 0 ? matchingSecrets(token, candidates) : [];
    if (targets.length === 0) {
      const reason = token ? 'X-Gitlab-Token matches no configured webhook secret' : 'no X-Gitlab-Token header';
      logger.warn({ event, instance: header(headers, 'x-gitlab-instance') }, `GitLab webhook refused: ${reason}`);
      audit.record({ actor, action: 'integrations.gitlab.webhook', target: event, outcome: 'denied', meta: { reason } });
      throw new AuthenticationError(`GitLab webhook refused: ${reason}`);
    }
    const deliveryId = (header(headers, 'idempotency-key') ?? header(headers, 'x-gitlab-event-uuid'))?.slice(0, 200);
    const targetIds = targets.map((t) => t.target.id);
    const fresh = await db.transaction(async (trx) => {
      if (deliveryId) {
        const inserted = await trx('webhook_deliveries')
          .insert({ source: 'gitlab', delivery_id: deliveryId, event, received_at: new Date() })
          .onConflict(['source', 'delivery_id'])
          .ignore()
          .returning('delivery_id');
        if (inserted.length === 0) return false;
      }
      await audit.record(
        { actor, action: 'integrations.gitlab.webhook', target: event, meta: { deliveryId: deliveryId ?? null, targets: targetIds } },
        { trx },
      );
      return true;
    });
    if (!fresh) {
      logger.info({ event, deliveryId }, `GitLab webhook ${deliveryId} was already received: ignored`);
      return { status: 'ignored', event, reason: `delivery ${deliveryId} was already received` };
    }
    const closed = event === 'merge_request' && this.deps.mergeRequestClosed ? gitlabMergeRequestClosed(body, deliveryId) : undefined;
    if (closed) {
      await this.deps.mergeRequestClosed!(closed);
      return { status: 'accepted', event, targets: targetIds };
    }
    const work = this.plan(event, body, targets);
    if (!work) {
      logger.info({ event, targets: targetIds }, `GitLab webhook event ${event} is not one discovery handles: ignored`);
      return { status: 'ignored', event, reason: `event ${event} is not handled` };
    }
    const run = work()
      .catch((e) => logger.error({ err: e, event }, `GitLab webhook ${event}: ${(e as Error).message}`))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
    return { status: 'accepted', event, targets: targetIds };
  }

  /** What an event asks for, or undefined when discovery does not handle it. */
  private plan(event: string, body: Payload, targets: GitLabDiscovery[]): (() => Promise<unknown>) | undefined {
    const projectId = Number(body.project_id ?? body.project?.id);
    const path = String(body.path_with_namespace ?? body.project?.path_with_namespace ?? '');
    const each =
      (fn: (t: GitLabDiscovery) => Promise<unknown>, list = targets) =>
      async () => {
        for (const t of list) await fn(t);
      };
    switch (event) {
      case 'push': {
        if (!Number.isInteger(projectId) || projectId <= 0) return undefined;
        const ref = String(body.ref ?? '');
        const relevant = targets.filter((t) => {
          const branch = t.target.branch ?? body.project?.default_branch;
          return (!path || t.covers(path)) && branch !== undefined && ref === `refs/heads/${branch}`;
        });
        if (relevant.length === 0) return undefined;
        return each((t) => t.refreshProject(projectId), relevant);
      }
      case 'repository_update':
      case 'project_create':
      case 'project_update':
        if (!Number.isInteger(projectId) || projectId <= 0) return undefined;
        return each((t) => (t.covers(path) ? t.refreshProject(projectId) : Promise.resolve()));
      case 'project_rename':
      case 'project_transfer':
        if (!Number.isInteger(projectId) || projectId <= 0) return undefined;
        return each((t) => (t.covers(path) ? t.refreshProject(projectId) : t.removeProject(projectId)));
      case 'project_destroy':
        if (!Number.isInteger(projectId) || projectId <= 0) return undefined;
        return each((t) => t.removeProject(projectId));
      default:
        if (ORG_EVENTS.has(event)) {
          const org = targets.filter((t) => t.target.syncOrg);
          return org.length ? each((t) => t.syncOrg(), org) : undefined;
        }
        return undefined;
    }
  }
}

/** `POST /api/integrations/gitlab/webhook` */
export const gitlabWebhookRoute = defineRoute<IntegrationRouteServices>({
  method: 'post',
  path: '/gitlab/webhook',
  body: {
    type: 'object',
    properties: {
      object_kind: { type: 'string', maxLength: 100 },
      event_name: { type: 'string', maxLength: 100 },
    },
  },
  permission: { public: true, reason: 'called by GitLab; authenticated by the X-Gitlab-Token secret of a discovery target' },
  summary: 'Receive a GitLab webhook or system hook (push, project create/rename/transfer/destroy, group membership)',
  response: {
    status: 202,
    description: 'Accepted (the refresh runs next) or ignored (replayed delivery, unhandled event): {status, event, reason?, targets?}',
  },
  responses: { '401': { description: 'X-Gitlab-Token missing or matching no configured secret' } },
  handler: async ({ req, body, res }, services) => {
    const gitlab = services.modules.get('gitlab') as GitLabRuntime | undefined;
    if (!gitlab?.handleWebhook) throw new ServiceUnavailableError('The GitLab module is not running');
    const answer = await gitlab.handleWebhook({ headers: req.headers, body });
    res.status(202).json(answer);
  },
});
