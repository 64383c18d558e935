import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  AuthenticationError,
  ConflictError,
  createAjv,
  InputError,
  NotFoundError,
  toFieldErrors,
  type AuditService,
  type Caller,
  type Logger,
} from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { NotificationsService } from '@atrium/plugin-notifications/backend';
import { confinePath, runGit, validateGitRef } from '@atrium/source-readers';
import type { Knex } from 'knex';
import type { JsonObject, WaitingOn } from '../../common/index.js';
import { createTemplateAction, type AnyTemplateAction, type PullRequestChecker, type WaitRequest } from '../actions/types.js';
import { assertMayDecide } from './approvals.js';
import { parseDurationMs } from './durable.js';
import { isUuid, type TaskStore } from './taskStore.js';

/** Kept on the task row with the public part of the wait; never sent to clients. */
interface WaitInternal {
  nonce?: string;
  schema?: JsonObject;
  remindEveryMs?: number;
  pollMs?: number;
  maxPollMs?: number;
  title?: string;
}

export type StoredWaiting = WaitingOn & { internal?: WaitInternal };

const durationSchema = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', minLength: 1 },
  ],
};

/** Signs and checks one-time callback URLs: HMAC-SHA256 over task, step and a fresh nonce. */
export class CallbackSigner {
  private constructor(private readonly key: Buffer) {}

  /** The key from `scaffolder.callbackSecret`, else one generated once and shared by replicas (settings table). */
  static async create(db: Knex, configured?: string): Promise<CallbackSigner> {
    if (configured) return new CallbackSigner(Buffer.from(configured, 'utf8'));
    await db('settings')
      .insert({ key: 'callback_secret', value: randomBytes(32).toString('base64') })
      .onConflict('key')
      .ignore();
    const row = (await db('settings').where({ key: 'callback_secret' }).first()) as { value: string };
    return new CallbackSigner(Buffer.from(row.value, 'base64'));
  }

  private mac(taskId: string, stepId: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${taskId}\n${stepId}\n${nonce}`).digest('base64url');
  }

  token(taskId: string, stepId: string, nonce: string): string {
    return `${nonce}.${this.mac(taskId, stepId, nonce)}`;
  }

  /** The nonce of a token whose signature is right for this task and step, else undefined. */
  verify(taskId: string, stepId: string, token: string): string | undefined {
    const m = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return undefined;
    const expected = Buffer.from(this.mac(taskId, stepId, m[1]!));
    const given = Buffer.from(m[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given) ? m[1] : undefined;
  }
}

/**
 * How a pull request URL is matched against webhook events: lower case, no trailing slash (the
 * same expression as the tasks_pull_request_url_idx index).
 */
export function pullRequestUrlKey(url: string): string {
  return url.toLowerCase().replace(/\/+$/, '');
}

/** Checks `file://` "pull requests" in local bare repositories under the publish roots: merged once `head` is in `base`. */
export function createLocalGitPullRequestChecker(fileRoots: string[]): PullRequestChecker {
  return {
    id: 'local-git',
    matches: (url) => url.startsWith('file://'),
    async check(url, { signal }) {
      const parsed = new URL(url);
      const head = parsed.searchParams.get('head');
      const base = parsed.searchParams.get('base') ?? 'main';
      if (!head) throw new Error('A local pull request URL names its branch: file:///repos/app.git?head=feature&base=main');
      validateGitRef(head);
      validateGitRef(base);
      const gitDir = await confinePath(fileRoots, fileURLToPath(new URL(`${parsed.protocol}//${parsed.host}${parsed.pathname}`)));
      const rev = async (ref: string) =>
        runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${ref}^{commit}`], { gitDir, signal }).then(
          (r) => r.stdout.trim(),
          () => undefined,
        );
      const [headSha, baseSha] = [await rev(head), await rev(base)];
      if (!baseSha) throw new Error(`The base branch ${base} does not exist`);
      if (!headSha) return { state: 'closed', detail: `the branch ${head} was deleted` };
      const merged = await runGit(['merge-base', '--is-ancestor', headSha, baseSha], { gitDir, signal }).then(
        () => true,
        () => false,
      );
      return merged ? { state: 'merged', detail: `${head} is in ${base} (${baseSha.slice(0, 12)})` } : { state: 'open' };
    },
  };
}

function canonical(ref: string, defaultKind: 'group' | 'user'): string {
  return stringifyEntityRef(parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }));
}

function isoOrDuration(value: unknown, what: string): Date {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new Error(`${what}: ${value} is not a valid time`);
    return at;
  }
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new Error(`${what}: ${JSON.stringify(value)} is neither an ISO time nor a duration (seconds or PT…)`);
  return new Date(Date.now() + ms);
}

const earliest = (...dates: Array<Date | undefined>): Date | undefined =>
  dates.filter((d): d is Date => d instanceof Date).sort((a, b) => a.getTime() - b.getTime())[0];

export interface WaitActionOptions {
  signer: CallbackSigner;
  /** `backend.baseUrl`, for callback URLs. */
  baseUrl: string;
  checkers: PullRequestChecker[];
}

/** The built-in waiting actions: wait:approval, wait:callback, wait:until, wait:pull-request. */
export function createWaitActions(options: WaitActionOptions): AnyTemplateAction[] {
  const approval = createTemplateAction<{
    groups?: string[];
    users?: string[];
    ownerOf?: string;
    count?: number;
    allowSelfApproval?: boolean;
    expiresIn?: number | string;
    remindEvery?: number | string;
    title?: string;
  }>({
    id: 'wait:approval',
    description:
      'Waits until enough approvers approve (groups, users, or the owner of an entity; N of them); rejected by any approver fails the task. Reminders through notifications; optional expiry.',
    idempotent: true,
    schema: {
      input: {
        type: 'object',
        additionalProperties: false,
        properties: {
          groups: { type: 'array', items: { type: 'string', minLength: 1 } },
          users: { type: 'array', items: { type: 'string', minLength: 1 } },
          ownerOf: { type: 'string', minLength: 1, description: 'An entity ref: its owner approves (the target of a day-2 action)' },
          count: { type: 'integer', minimum: 1, default: 1, description: 'How many different approvers must approve' },
          allowSelfApproval: { type: 'boolean', description: 'The task\u2019s requester may approve it (default false)' },
          expiresIn: durationSchema,
          remindEvery: durationSchema,
          title: { type: 'string', maxLength: 200 },
        },
      },
      output: { type: 'object', properties: { approvedBy: { type: 'array' } } },
    },
    async handler() {
      throw new Error('wait:approval only waits');
    },
    async beginWait(ctx) {
      const approvers = [...(ctx.input.groups ?? []).map((g) => canonical(g, 'group')), ...(ctx.input.users ?? []).map((u) => canonical(u, 'user'))];
      if (ctx.input.ownerOf) {
        const entity = await ctx.catalog.getEntityByRef(ctx.input.ownerOf);
        const owner = (entity?.spec as { owner?: unknown } | undefined)?.owner;
        if (typeof owner !== 'string') throw new Error(`wait:approval: ${ctx.input.ownerOf} ${entity ? 'has no spec.owner' : 'is not in the catalog'}`);
        approvers.push(canonical(owner, 'group'));
      }
      const unique = [...new Set(approvers)];
      if (!unique.length) throw new Error('wait:approval: name approvers (groups, users or ownerOf)');
      const required = ctx.input.count ?? 1;
      const expiresAt =
        ctx.input.expiresIn !== undefined
          ? isoOrDuration(ctx.input.expiresIn, 'expiresIn')
          : ctx.timeoutMs !== undefined
            ? new Date(Date.now() + ctx.timeoutMs)
            : undefined;
      const remindEveryMs = ctx.input.remindEvery !== undefined ? parseDurationMs(ctx.input.remindEvery) : undefined;
      const description = `approval by ${unique.join(', ')}${required > 1 ? ` (${required} approvers)` : ''}`;
      ctx.logger.info(`Waiting for ${description}`);
      return {
        wait: {
          kind: 'approval',
          description,
          ...(remindEveryMs ? { wakeAt: new Date(Date.now() + remindEveryMs) } : {}),
          ...(expiresAt ? { expiresAt } : {}),
          waitingFor: unique,
          state: {
            approvers: unique,
            required,
            approvals: [],
            allowSelfApproval: ctx.input.allowSelfApproval === true,
            internal: { ...(remindEveryMs ? { remindEveryMs } : {}), ...(ctx.input.title ? { title: ctx.input.title } : {}) },
          },
        },
      };
    },
  });

  const callback = createTemplateAction<{ schema?: JsonObject; expiresIn?: number | string }>({
    id: 'wait:callback',
    description:
      'Gives the task a one-time signed URL (shown to the task\u2019s creator and in the log); a POST of JSON to it, valid against `schema`, ends the wait with `output.body`.',
    idempotent: true,
    schema: {
      input: { type: 'object', additionalProperties: false, properties: { schema: { type: 'object' }, expiresIn: durationSchema } },
      output: { type: 'object', properties: { body: { type: 'object' } } },
    },
    async handler() {
      throw new Error('wait:callback only waits');
    },
    async beginWait(ctx) {
      if (ctx.input.schema) {
        try {
          callbackAjv.compile(ctx.input.schema);
        } catch (e) {
          throw new Error(`wait:callback: schema is not a valid JSON Schema: ${(e as Error).message}`);
        }
      }
      const nonce = randomBytes(18).toString('base64url');
      const url = `${options.baseUrl.replace(/\/$/, '')}/api/scaffolder/v2/tasks/${ctx.taskId}/steps/${encodeURIComponent(ctx.stepId)}/callback?token=${options.signer.token(ctx.taskId, ctx.stepId, nonce)}`;
      const expiresAt =
        ctx.input.expiresIn !== undefined
          ? isoOrDuration(ctx.input.expiresIn, 'expiresIn')
          : ctx.timeoutMs !== undefined
            ? new Date(Date.now() + ctx.timeoutMs)
            : undefined;
      ctx.logger.info('Waiting for a POST to this task\u2019s callback URL (shown on the task page to whoever started it)');
      return {
        wait: {
          kind: 'callback',
          description: 'a callback',
          ...(expiresAt ? { expiresAt } : {}),
          state: { callbackUrl: url, internal: { nonce, ...(ctx.input.schema ? { schema: ctx.input.schema } : {}) } },
        },
      };
    },
  });

  const until = createTemplateAction<{ until?: string; duration?: number | string }>({
    id: 'wait:until',
    description: 'Waits until a time (`until`, ISO 8601) or for a duration (`duration`: seconds or ISO 8601 such as PT2H).',
    idempotent: true,
    schema: {
      input: { type: 'object', additionalProperties: false, properties: { until: { type: 'string', format: 'date-time' }, duration: durationSchema } },
    },
    async handler() {
      throw new Error('wait:until only waits');
    },
    async beginWait(ctx) {
      if ((ctx.input.until === undefined) === (ctx.input.duration === undefined)) throw new Error('wait:until: give exactly one of until and duration');
      const at = isoOrDuration(ctx.input.until ?? ctx.input.duration, ctx.input.until ? 'until' : 'duration');
      if (at.getTime() <= Date.now()) return { done: { waitedUntil: at.toISOString() } };
      return { wait: { kind: 'until', description: `until ${at.toISOString()}`, wakeAt: at, state: { internal: {} } } };
    },
  });

  const pullRequest = createTemplateAction<{ url: string; pollInterval?: number | string; maxPollInterval?: number | string; expiresIn?: number | string }>({
    id: 'wait:pull-request',
    description:
      'Waits until a pull/merge request is merged (a closed one fails the step). Polls with backoff through the checker registered for its host (integrations add theirs; file:// repositories under the publish roots are built in).',
    idempotent: true,
    schema: {
      input: {
        type: 'object',
        required: ['url'],
        additionalProperties: false,
        properties: { url: { type: 'string', minLength: 1 }, pollInterval: durationSchema, maxPollInterval: durationSchema, expiresIn: durationSchema },
      },
      output: { type: 'object', properties: { state: { type: 'string' }, detail: { type: 'string' } } },
    },
    async handler() {
      throw new Error('wait:pull-request only waits');
    },
    async beginWait(ctx) {
      const checker = options.checkers.find((c) => c.matches(ctx.input.url));
      if (!checker) throw new Error(`wait:pull-request: no checker knows ${ctx.input.url} (install the integration for its host)`);
      const pollMs = parseDurationMs(ctx.input.pollInterval ?? 30) ?? 30_000;
      const maxPollMs = parseDurationMs(ctx.input.maxPollInterval ?? 'PT10M') ?? 600_000;
      const expiresAt =
        ctx.input.expiresIn !== undefined
          ? isoOrDuration(ctx.input.expiresIn, 'expiresIn')
          : ctx.timeoutMs !== undefined
            ? new Date(Date.now() + ctx.timeoutMs)
            : undefined;
      ctx.logger.info(`Waiting for ${ctx.input.url} to be merged (checked by ${checker.id})`);
      return {
        wait: {
          kind: 'pull-request',
          description: `the pull request ${ctx.input.url} to be merged`,
          // The first look is at once: it may be merged already.
          wakeAt: new Date(),
          ...(expiresAt ? { expiresAt } : {}),
          state: { pullRequestUrl: ctx.input.url, internal: { pollMs: Math.max(50, pollMs), maxPollMs: Math.max(pollMs, maxPollMs) } },
        },
      };
    },
  });

  return [approval, callback, until, pullRequest];
}

const callbackAjv = createAjv({ useDefaults: false });

/** The stored form of a wait that was just reached, and when it must next be looked at. */
export function toStoredWaiting(stepId: string, wait: WaitRequest, deadline: Date | undefined): { waiting: StoredWaiting; wakeAt: Date | undefined } {
  const wakeAt = earliest(wait.wakeAt, wait.expiresAt, deadline);
  const waiting: StoredWaiting = {
    ...(wait.state as Partial<StoredWaiting>),
    stepId,
    kind: wait.kind,
    since: new Date().toISOString(),
    description: wait.description,
    ...(wakeAt ? { wakeAt: wakeAt.toISOString() } : {}),
    ...(wait.expiresAt ? { expiresAt: wait.expiresAt.toISOString() } : {}),
  };
  return { waiting, wakeAt };
}

/** The part of a wait a client may see: no nonce or schema; the callback URL only for the task's creator. */
export function publicWaiting(waiting: StoredWaiting, caller: Caller | undefined, createdBy: string | undefined): WaitingOn {
  const { internal: _internal, callbackUrl, ...rest } = waiting;
  return { ...rest, ...(callbackUrl && caller && createdBy && caller.userEntityRef === createdBy ? { callbackUrl } : {}) };
}

export interface WaitServiceDeps {
  db: Knex;
  store: TaskStore;
  checkers: PullRequestChecker[];
  notifications?: NotificationsService | undefined;
  logger: Logger;
  signer: CallbackSigner;
  audit: AuditService;
  /** A task is open again: let a worker take it now. */
  wake(): void;
}

/** The anonymous caller a signed callback acts as (the signature is its authentication). */
const callbackCaller = (taskId: string, stepId: string): Caller => ({
  type: 'service',
  userEntityRef: `callback:${taskId}/${stepId}`,
  ownershipEntityRefs: [],
  displayName: 'signed callback',
});

/** Who ends a pull request wait from a webhook: the integration that received it (`plugin:integrations`). */
const webhookCaller = (source: string): Caller => ({
  type: 'service',
  userEntityRef: source,
  ownershipEntityRefs: [],
  displayName: 'source-control webhook',
});

/**
 * Ends waits: the scheduled poll (times reached, pull requests, reminders, expiries, task
 * timeouts) and the events that end one at once (an approval, a callback). Each ending is one
 * conditional update of the task row, so it happens once whichever replica sees it first.
 */
export class WaitService {
  private polling = false;
  constructor(private readonly deps: WaitServiceDeps) {}

  /** After a task was put aside: the first reminder for an approval goes out at once. */
  async onSuspended(taskId: string, waiting: StoredWaiting): Promise<void> {
    if (waiting.kind === 'approval') await this.remind(taskId, waiting, false);
  }

  private async remind(taskId: string, waiting: StoredWaiting, again: boolean): Promise<void> {
    const { notifications } = this.deps;
    if (!notifications || !waiting.approvers?.length) return;
    const title = waiting.internal?.title ?? 'A template run waits for your approval';
    await notifications
      .send({
        recipients: waiting.approvers,
        source: 'scaffolder',
        topic: 'scaffolder.approval',
        title: again ? `Reminder: ${title}` : title,
        description: `Step ${waiting.stepId} of run ${taskId.slice(0, 8)} waits for ${waiting.description}.`,
        link: `/create/tasks/${taskId}`,
        severity: 'normal',
        scope: `approval:${taskId}:${waiting.stepId}`,
      })
      .catch((e: unknown) => this.deps.logger.warn({ err: e, taskId }, 'scaffolder: approval reminder not sent'));
  }

  private async withdraw(taskId: string): Promise<void> {
    await this.deps.notifications?.withdraw({ source: 'scaffolder', scopePrefix: `approval:${taskId}:` }).catch(() => undefined);
  }

  /** One pass over the due waiting tasks (the scheduled job calls it). Returns how many it looked at. */
  async poll(limit = 200): Promise<number> {
    if (this.polling) return 0;
    this.polling = true;
    try {
      const due = await this.deps.store.dueWaitingTasks(limit);
      for (const task of due) {
        try {
          await this.handleDue(task.id, task.waitingOn as StoredWaiting, task.deadlineAt);
        } catch (e) {
          this.deps.logger.warn({ err: e, taskId: task.id }, 'scaffolder: could not handle a waiting task');
        }
      }
      return due.length;
    } finally {
      this.polling = false;
    }
  }

  private async handleDue(taskId: string, waiting: StoredWaiting, deadline: Date | undefined): Promise<void> {
    const now = Date.now();
    const { store, db } = this.deps;
    const stepId = waiting.stepId;
    if (deadline && deadline.getTime() <= now) {
      await this.fail(taskId, stepId, `The task timed out (spec.timeout) while waiting in step "${stepId}" for ${waiting.description}`);
      return;
    }
    if (waiting.expiresAt && new Date(waiting.expiresAt).getTime() <= now) {
      await this.fail(
        taskId,
        stepId,
        `Step "${stepId}" expired: no ${waiting.kind === 'approval' ? 'approval' : waiting.kind === 'callback' ? 'callback' : 'merge'} by ${waiting.expiresAt}`,
      );
      return;
    }
    const next = (at: Date | undefined) => earliest(at, waiting.expiresAt ? new Date(waiting.expiresAt) : undefined, deadline);
    if (waiting.kind === 'until') {
      await this.resolve(taskId, stepId, { waitedUntil: new Date().toISOString() }, `Waited ${waiting.description}`);
      return;
    }
    if (waiting.kind === 'approval') {
      await this.remind(taskId, waiting, true);
      const every = waiting.internal?.remindEveryMs;
      const wakeAt = next(every ? new Date(now + every) : undefined);
      await db.transaction((trx) => store.updateWaiting(trx, taskId, { ...waiting, ...(wakeAt ? { wakeAt: wakeAt.toISOString() } : {}) }, wakeAt));
      return;
    }
    if (waiting.kind === 'pull-request' && waiting.pullRequestUrl) {
      const checker = this.deps.checkers.find((c) => c.matches(waiting.pullRequestUrl!));
      const pollMs = waiting.internal?.pollMs ?? 30_000;
      let state: string;
      let detail: string | undefined;
      try {
        if (!checker) throw new Error('no checker for this URL any more');
        const r = await checker.check(waiting.pullRequestUrl, { signal: AbortSignal.timeout(30_000) });
        state = r.state;
        detail = r.detail;
      } catch (e) {
        state = 'unknown';
        detail = (e as Error).message;
        await store.appendEvent(taskId, 'log', { message: `Could not check ${waiting.pullRequestUrl}: ${detail}; trying again later`, stepId });
      }
      if (state === 'merged') {
        await this.resolve(taskId, stepId, { state, ...(detail ? { detail } : {}) }, `Merged: ${waiting.pullRequestUrl}`);
        return;
      }
      if (state === 'closed') {
        await this.fail(
          taskId,
          stepId,
          `Step "${stepId}": the pull request ${waiting.pullRequestUrl} was closed without being merged${detail ? ` (${detail})` : ''}`,
        );
        return;
      }
      // Still open (or unknown): look again later, less often each time.
      const nextPoll = Math.min(pollMs * 2, waiting.internal?.maxPollMs ?? 600_000);
      const wakeAt = next(new Date(now + pollMs));
      await db.transaction((trx) =>
        store.updateWaiting(
          trx,
          taskId,
          { ...waiting, lastState: state, ...(wakeAt ? { wakeAt: wakeAt.toISOString() } : {}), internal: { ...waiting.internal, pollMs: nextPoll } },
          wakeAt,
        ),
      );
      return;
    }
    // A callback wakes only at its expiry or the task's deadline, handled above.
    const wakeAt = next(undefined);
    await db.transaction((trx) => store.updateWaiting(trx, taskId, waiting, wakeAt));
  }

  /**
   * A source-control webhook said a pull/merge request was closed (merged or not): every task
   * waiting on it (by URL, see pullRequestUrlKey) ends its wait now, as the poll would have on
   * its next look. Each ending is conditional, so replicas handling the same event end it once.
   * Returns how many waits it ended.
   */
  async pullRequestClosed(event: { urls: readonly string[]; merged: boolean; detail: string; source: string }): Promise<number> {
    const keys = [...new Set(event.urls.map(pullRequestUrlKey))];
    if (keys.length === 0) return 0;
    const waiting = (await this.deps
      .db('tasks')
      .where('status', 'waiting')
      .whereRaw(`lower(rtrim(waiting_on->>'pullRequestUrl', '/')) = any(?::text[])`, [keys])
      .whereRaw(`waiting_on->>'kind' = 'pull-request'`)
      .select('id', this.deps.db.raw(`waiting_on->>'stepId' as step_id`), this.deps.db.raw(`waiting_on->>'pullRequestUrl' as url`))) as Array<{
      id: string;
      step_id: string;
      url: string;
    }>;
    let ended = 0;
    for (const t of waiting) {
      const ok = event.merged
        ? await this.resolve(t.id, t.step_id, { state: 'merged', detail: event.detail }, `Merged: ${t.url} (${event.detail})`)
        : await this.fail(t.id, t.step_id, `Step "${t.step_id}": the pull request ${t.url} was closed without being merged (${event.detail})`);
      if (!ok) continue;
      ended++;
      await this.deps.audit.record({
        actor: webhookCaller(event.source),
        action: 'scaffolder.task.step.pull-request',
        target: t.id,
        outcome: 'succeeded',
        meta: { stepId: t.step_id, url: t.url, merged: event.merged, detail: event.detail },
      });
    }
    return ended;
  }

  private async resolve(taskId: string, stepId: string, output: JsonObject, message: string): Promise<boolean> {
    const done = await this.deps.db.transaction(async (trx) => {
      const ok = await this.deps.store.resolveWait(trx, taskId, stepId, output);
      if (ok) await this.deps.store.appendEvent(taskId, 'log', { message, stepId, status: 'completed' }, {}, trx);
      return ok;
    });
    if (done) this.deps.wake();
    return done;
  }

  private async fail(taskId: string, stepId: string, error: string): Promise<boolean> {
    const failed = await this.deps.db.transaction((trx) => this.deps.store.failWait(trx, taskId, stepId, error));
    await this.withdraw(taskId);
    return failed;
  }

  /**
   * An approver's decision on a `wait:approval` step: only the step's approvers, not the
   * requester unless the step allows it (403); each approver counts once; any rejection fails
   * the task. Audited in the same transaction.
   */
  async decide(taskId: string, stepId: string, caller: Caller, decision: 'approve' | 'reject', comment: string | undefined): Promise<void> {
    const { db, store, audit } = this.deps;
    const outcome = await db.transaction(async (trx) => {
      const locked = await store.lockWaiting(trx, taskId, stepId);
      if (!locked) {
        const exists = isUuid(taskId) && (await trx('tasks').where({ id: taskId }).first('id'));
        if (!exists) throw new NotFoundError(`Task ${taskId} not found`);
        throw new ConflictError(`Task ${taskId} is not waiting at step "${stepId}"`);
      }
      const waiting = locked.waitingOn as StoredWaiting;
      if (waiting.kind !== 'approval') throw new ConflictError(`Step "${stepId}" waits for ${waiting.description}, not an approval`);
      assertMayDecide(
        {
          ...(locked.createdBy ? { createdBy: locked.createdBy } : {}),
          approval: { approvers: waiting.approvers ?? [], ...(waiting.allowSelfApproval ? { allowSelfApproval: true } : {}) },
        },
        caller,
        decision,
      );
      const approvals = waiting.approvals ?? [];
      if (approvals.some((a) => a.by === caller.userEntityRef)) throw new ConflictError(`${caller.userEntityRef} has already approved step "${stepId}"`);
      let result: 'rejected' | 'approved' | 'counted';
      if (decision === 'reject') {
        await store.failWait(trx, taskId, stepId, `Step "${stepId}" was rejected by ${caller.userEntityRef}${comment ? `: ${comment}` : ''}`);
        result = 'rejected';
      } else {
        const all = [...approvals, { by: caller.userEntityRef, at: new Date().toISOString(), ...(comment ? { comment } : {}) }];
        if (all.length >= (waiting.required ?? 1)) {
          await store.resolveWait(trx, taskId, stepId, { approvedBy: all.map((a) => a.by), approvals: all });
          result = 'approved';
        } else {
          await store.updateWaiting(trx, taskId, { ...waiting, approvals: all }, waiting.wakeAt ? new Date(waiting.wakeAt) : undefined);
          result = 'counted';
        }
        await store.appendEvent(
          taskId,
          'log',
          {
            message: `Approved by ${caller.userEntityRef} (${all.length} of ${waiting.required ?? 1})${comment ? `: ${comment}` : ''}`,
            stepId,
            ...(result === 'approved' ? { status: 'completed' as const } : {}),
          },
          {},
          trx,
        );
      }
      await audit.record(
        { actor: caller, action: `scaffolder.task.step.${decision}`, target: taskId, outcome: 'succeeded', meta: { stepId, result } },
        { trx },
      );
      return result;
    });
    if (outcome !== 'counted') await this.withdraw(taskId);
    if (outcome === 'approved') this.deps.wake();
  }

  /**
   * A POST to a `wait:callback` URL: a bad or used signature is 401 with the task unchanged; a
   * body that fails the step's schema is 400 with the errors, the task still waiting.
   */
  async callback(taskId: string, stepId: string, token: string, body: unknown): Promise<void> {
    const { db, store, signer, audit } = this.deps;
    const nonce = signer.verify(taskId, stepId, token);
    if (!nonce) throw new AuthenticationError('The callback signature is not valid for this task and step');
    await db.transaction(async (trx) => {
      const locked = await store.lockWaiting(trx, taskId, stepId);
      const waiting = locked?.waitingOn as StoredWaiting | undefined;
      // Used already (the task moved on) or replaced by a newer wait of the same step (a retry): refused alike.
      if (!waiting || waiting.kind !== 'callback' || waiting.internal?.nonce !== nonce)
        throw new AuthenticationError('This callback URL was already used or is no longer valid');
      const schema = waiting.internal?.schema;
      if (schema) {
        const validate = callbackAjv.compile(schema);
        if (!validate(body)) {
          const errors = toFieldErrors(validate.errors, 'body');
          throw new InputError(`The callback body does not match the step's schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
        }
      }
      const output = { body: (body ?? {}) as JsonObject };
      await store.resolveWait(trx, taskId, stepId, output);
      await store.appendEvent(taskId, 'log', { message: 'Callback received', stepId, status: 'completed' }, {}, trx);
      await audit.record(
        { actor: callbackCaller(taskId, stepId), action: 'scaffolder.task.callback', target: taskId, outcome: 'succeeded', meta: { stepId } },
        { trx },
      );
    });
    this.deps.wake();
  }
}
