import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  ApprovalState,
  JsonObject,
  SerializedTask,
  SerializedTaskEvent,
  StepRecord,
  StepStatus,
  TaskEventBody,
  TaskEventType,
  TaskSpec,
  TaskStatus,
  WaitingOn,
} from '../../common/index.js';
import type { SnapshotFile } from './durable.js';
import { maskSecrets, type SecretBox } from './secrets.js';
import type { TaskOutcomeRecorder } from '../taskOutcomes.js';

/** The task's lease was taken over by another replica (this one stalled past its lease): stop, record nothing. */
export class LeaseLostError extends Error {
  constructor(taskId: string) {
    super(`Task ${taskId} is no longer held by this replica (its lease expired and another replica took it over)`);
    this.name = 'LeaseLostError';
  }
}

type Db = Knex | Knex.Transaction;

interface TaskRow {
  id: string;
  spec: TaskSpec | string;
  status: TaskStatus;
  template_ref: string;
  created_by: string | null;
  created_at: Date | string;
  last_heartbeat_at: Date | string | null;
  completed_at: Date | string | null;
  secrets_enc: string | null;
  approval: ApprovalState | string | null;
  output: JsonObject | string | null;
  error: string | null;
  retry_of: string | null;
  cancel_requested: boolean;
  waiting_on?: WaitingOn | string | null;
  attention?: { stepId: string; reason: string; lastLog?: string } | string | null;
  deadline_at?: Date | string | null;
}

interface StepRow {
  task_id: string;
  step_id: string;
  position: number;
  status: StepStatus;
  attempt: number;
  output: JsonObject | string | null;
  error: string | null;
  worker: string | null;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  files: SnapshotFile[] | string | null;
}

/** A step's stored outcome, as the runner reads it when it resumes a task. */
export interface RecordedStep {
  stepId: string;
  position: number;
  status: StepStatus;
  attempt: number;
  output: JsonObject;
  error?: string;
  files?: SnapshotFile[];
}

interface EventRow {
  id: string | number;
  task_id: string;
  event_type: TaskEventType;
  body: TaskEventBody | string;
  created_at: Date | string;
}

/**
 * The task list counts its matches exactly up to this many; beyond, `totalTasks` is a lower bound
 * and `totalTasksIsLowerBound` is set (as search's `numberOfResultsIsLowerBound`).
 */
export const TASK_COUNT_LIMIT = 1000;

const json = <T>(v: T | string | null): T | undefined => (v === null || v === undefined ? undefined : typeof v === 'string' ? (JSON.parse(v) as T) : v);
const iso = (v: Date | string | null | undefined) => (v ? new Date(v).toISOString() : undefined);

export interface LogLimits {
  /** Events kept per task; later log lines are dropped after one notice. */
  maxEventsPerTask: number;
  /** Characters kept per message. */
  maxMessageLength: number;
}

export interface ClaimedTask {
  id: string;
  spec: TaskSpec;
  secrets: Record<string, string>;
  createdBy?: string;
  /** Cancellation was asked for while the task was not running (it is claimed to compensate). */
  cancelRequested?: boolean;
  compensate?: boolean;
  deadlineAt?: Date;
}

/** Tasks and their events, in the plugin's own schema. */
export class TaskStore {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
    private readonly limits: LogLimits,
    /** Appends task outcomes to the host's event log, in the transaction that records them. */
    private readonly outcomes?: TaskOutcomeRecorder,
  ) {}

  async createTask(input: {
    spec: TaskSpec;
    templateRef: string;
    createdBy: string;
    secrets?: Record<string, string>;
    approval?: ApprovalState;
    retryOf?: string;
    /** spec.timeout, resolved: the task fails when it is not done by then. */
    timeoutMs?: number;
    /** A chosen id (a plugin's idempotent start); a second insert with it fails on the primary key. */
    id?: string;
  }): Promise<string> {
    const id = input.id ?? randomUUID();
    await this.db('tasks').insert({
      ...(input.timeoutMs !== undefined ? { deadline_at: new Date(Date.now() + input.timeoutMs) } : {}),
      ...(input.approval ? { waiting_for: input.approval.approvers } : {}),
      id,
      spec: JSON.stringify(input.spec),
      status: input.approval ? 'awaiting-approval' : 'open',
      template_ref: input.templateRef,
      created_by: input.createdBy,
      secrets_enc: input.secrets && Object.keys(input.secrets).length ? this.box.seal(input.secrets) : null,
      approval: input.approval ? JSON.stringify(input.approval) : null,
      retry_of: input.retryOf ?? null,
    });
    return id;
  }

  async getTask(id: string): Promise<SerializedTask | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.db('tasks').where({ id }).first()) as TaskRow | undefined;
    if (!row) return undefined;
    const steps = (await this.db('task_steps').where({ task_id: id }).orderBy('position')) as StepRow[];
    return { ...serialize(row), steps: steps.map(serializeStep) };
  }

  /** Every recorded step of a task, in template order. */
  async getStepRecords(taskId: string, db: Db = this.db): Promise<RecordedStep[]> {
    const rows = (await db('task_steps').where({ task_id: taskId }).orderBy('position')) as StepRow[];
    return rows.map((r) => ({
      stepId: r.step_id,
      position: r.position,
      status: r.status,
      attempt: r.attempt,
      output: json<JsonObject>(r.output) ?? {},
      ...(r.error ? { error: r.error } : {}),
      ...(r.files ? { files: json<SnapshotFile[]>(r.files)! } : {}),
    }));
  }

  /** A step begins (again): one more attempt, by this worker, while it holds the task. */
  async stepStarted(taskId: string, stepId: string, position: number, workerId: string): Promise<void> {
    const held = await this.db('tasks').where({ id: taskId, claimed_by: workerId, status: 'processing' }).first('id');
    if (!held) throw new LeaseLostError(taskId);
    await this.db.raw(
      `insert into task_steps (task_id, step_id, position, status, attempt, worker, started_at)
       values (?, ?, ?, 'processing', 1, ?, now())
       on conflict (task_id, step_id) do update set status = 'processing', attempt = task_steps.attempt + 1,
         worker = excluded.worker, started_at = now(), finished_at = null, error = null, output = null`,
      [taskId, stepId, position, workerId],
    );
  }

  /**
   * A step's outcome, recorded once: only while this worker still holds the task (a replica
   * that lost its lease records nothing and stops).
   */
  async stepFinished(
    taskId: string,
    stepId: string,
    position: number,
    workerId: string,
    status: 'completed' | 'skipped',
    output: JsonObject,
    files?: SnapshotFile[],
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      const held = await trx('tasks').where({ id: taskId, claimed_by: workerId, status: 'processing' }).forUpdate().first('id');
      if (!held) throw new LeaseLostError(taskId);
      await trx.raw(
        `insert into task_steps (task_id, step_id, position, status, attempt, worker, started_at, finished_at, output, files)
         values (?, ?, ?, ?, 0, ?, now(), now(), ?::jsonb, ?::jsonb)
         on conflict (task_id, step_id) do update set status = excluded.status, finished_at = now(), output = excluded.output,
           files = excluded.files, error = null`,
        [taskId, stepId, position, status, workerId, JSON.stringify(output), files ? JSON.stringify(files) : null],
      );
    });
  }

  async stepFailed(taskId: string, stepId: string, position: number, status: 'failed' | 'cancelled', error: string, db: Db = this.db): Promise<void> {
    await db.raw(
      `insert into task_steps (task_id, step_id, position, status, attempt, started_at, finished_at, error)
       values (?, ?, ?, ?, 0, now(), now(), ?)
       on conflict (task_id, step_id) do update set status = excluded.status, finished_at = now(), error = excluded.error`,
      [taskId, stepId, position, status, error],
    );
  }

  async setStepStatus(taskId: string, stepId: string, status: StepStatus, db: Db = this.db): Promise<void> {
    await db('task_steps').where({ task_id: taskId, step_id: stepId }).update({ status });
  }

  /**
   * The task waits: the worker lets go of it (no lease), the step is `waiting`, and the row
   * says what for and when to look again. Only the worker holding the task can do this.
   */
  async suspend(
    taskId: string,
    stepId: string,
    position: number,
    workerId: string,
    waiting: WaitingOn,
    wakeAt: Date | undefined,
    waitingFor: string[] | undefined,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      const n = await trx('tasks')
        .where({ id: taskId, claimed_by: workerId, status: 'processing' })
        .update({
          status: 'waiting',
          claimed_by: null,
          lease_expires_at: null,
          waiting_on: JSON.stringify(waiting),
          wake_at: wakeAt ?? null,
          waiting_for: waitingFor?.length ? waitingFor : null,
        });
      if (!n) throw new LeaseLostError(taskId);
      await trx.raw(
        `insert into task_steps (task_id, step_id, position, status, attempt, worker, started_at)
         values (?, ?, ?, 'waiting', 1, ?, now())
         on conflict (task_id, step_id) do update set status = 'waiting'`,
        [taskId, stepId, position, workerId],
      );
    });
  }

  /** Rows of waiting tasks that are due (time reached, a poll, a reminder or an expiry), oldest first. */
  async dueWaitingTasks(limit: number): Promise<Array<{ id: string; waitingOn: WaitingOn; deadlineAt?: Date; createdBy?: string }>> {
    const rows = (await this.db('tasks')
      .where('status', 'waiting')
      .where('wake_at', '<=', this.db.fn.now())
      .orderBy('wake_at')
      .limit(limit)
      .select('id', 'waiting_on', 'deadline_at', 'created_by')) as Array<Pick<TaskRow, 'id' | 'waiting_on' | 'deadline_at' | 'created_by'>>;
    return rows.map((r) => ({
      id: r.id,
      waitingOn: json<WaitingOn>(r.waiting_on ?? null)!,
      ...(r.deadline_at ? { deadlineAt: new Date(r.deadline_at) } : {}),
      ...(r.created_by ? { createdBy: r.created_by } : {}),
    }));
  }

  /** Locks a waiting task's row in `trx`; undefined when it is no longer waiting on that step (someone else acted). */
  async lockWaiting(
    trx: Knex.Transaction,
    taskId: string,
    stepId: string,
  ): Promise<{ waitingOn: WaitingOn; createdBy?: string; deadlineAt?: Date } | undefined> {
    if (!isUuid(taskId)) return undefined;
    const row = (await trx('tasks').where({ id: taskId, status: 'waiting' }).forUpdate().first('waiting_on', 'created_by', 'deadline_at')) as
      Pick<TaskRow, 'waiting_on' | 'created_by' | 'deadline_at'> | undefined;
    const waitingOn = row ? json<WaitingOn>(row.waiting_on ?? null) : undefined;
    if (!row || !waitingOn || waitingOn.stepId !== stepId) return undefined;
    return { waitingOn, ...(row.created_by ? { createdBy: row.created_by } : {}), ...(row.deadline_at ? { deadlineAt: new Date(row.deadline_at) } : {}) };
  }

  /** Rewrites what a waiting task waits for (an approval counted, the next poll). */
  async updateWaiting(trx: Db, taskId: string, waiting: WaitingOn & { internal?: unknown }, wakeAt: Date | undefined): Promise<void> {
    await trx('tasks')
      .where({ id: taskId, status: 'waiting' })
      .update({ waiting_on: JSON.stringify(waiting), wake_at: wakeAt ?? null });
  }

  /**
   * The wait is over: the step completes with `output` and the task is open again, so any
   * replica's worker resumes it at the next step. Conditional on the task still waiting on
   * that step, so two deciders (replicas, a double click, a reused callback) resolve it once.
   */
  async resolveWait(trx: Knex.Transaction, taskId: string, stepId: string, output: JsonObject): Promise<boolean> {
    const n = await trx('tasks')
      .where({ id: taskId, status: 'waiting' })
      .whereRaw(`waiting_on->>'stepId' = ?`, [stepId])
      .update({ status: 'open', waiting_on: null, wake_at: null, waiting_for: null });
    if (!n) return false;
    await trx('task_steps')
      .where({ task_id: taskId, step_id: stepId })
      .update({ status: 'completed', output: JSON.stringify(output), finished_at: trx.fn.now() });
    return true;
  }

  /** A waiting step failed (rejected, expired, PR closed, task timeout): the task fails naming it. */
  async failWait(trx: Knex.Transaction, taskId: string, stepId: string, error: string): Promise<boolean> {
    const n = await trx('tasks')
      .where({ id: taskId, status: 'waiting' })
      .whereRaw(`waiting_on->>'stepId' = ?`, [stepId])
      .update({ status: 'failed', waiting_on: null, wake_at: null, waiting_for: null, completed_at: trx.fn.now(), secrets_enc: null, error });
    if (!n) return false;
    await trx('task_steps').where({ task_id: taskId, step_id: stepId }).update({ status: 'failed', error, finished_at: trx.fn.now() });
    await this.appendEvent(taskId, 'completion', { message: `Run failed: ${error}`, status: 'failed', error: { name: 'Error', message: error } }, {}, trx);
    await this.outcomes?.(trx, taskId, 'failed', { error, stepId });
    return true;
  }

  /** The worker stops holding the task without finishing it (shutdown): any replica may take it at once. */
  async release(taskId: string, workerId: string): Promise<void> {
    await this.db('tasks').where({ id: taskId, claimed_by: workerId, status: 'processing' }).update({ lease_expires_at: this.db.fn.now() });
  }

  /** A non-idempotent step was cut off: a person decides (retry or skip). */
  async needsAttention(taskId: string, stepId: string, workerId: string, reason: string): Promise<void> {
    const last = (await this.db('task_events').where({ task_id: taskId }).whereRaw(`body->>'stepId' = ?`, [stepId]).orderBy('id', 'desc').first('body')) as
      { body: TaskEventBody | string } | undefined;
    const lastLog = last ? json<TaskEventBody>(last.body)?.message : undefined;
    await this.db.transaction(async (trx) => {
      const n = await trx('tasks')
        .where({ id: taskId, claimed_by: workerId, status: 'processing' })
        .update({
          status: 'needs-attention',
          claimed_by: null,
          lease_expires_at: null,
          attention: JSON.stringify({ stepId, reason, ...(lastLog ? { lastLog } : {}) }),
        });
      if (!n) throw new LeaseLostError(taskId);
      await trx('task_steps').where({ task_id: taskId, step_id: stepId }).update({ status: 'needs-attention' });
      await this.appendEvent(taskId, 'log', { message: `Needs attention: ${reason}`, stepId, status: 'needs-attention' }, {}, trx);
      await this.outcomes?.(trx, taskId, 'needs-attention', { reason, stepId });
    });
  }

  /**
   * Retry or skip from a person: the step is set to run again (`open`, with new parameters when
   * given) or `skipped`, and the task is open for any worker. Conditional on the task still being
   * failed or needing attention, in `trx` (the caller audits in it).
   */
  async reopenAtStep(
    trx: Knex.Transaction,
    taskId: string,
    step: { id: string; position: number },
    how: 'retry' | 'skip',
    changes: { spec?: TaskSpec; secrets?: Record<string, string> } = {},
  ): Promise<boolean> {
    const n = await trx('tasks')
      .where({ id: taskId })
      .whereIn('status', ['failed', 'needs-attention'])
      .update({
        status: 'open',
        attention: null,
        error: null,
        completed_at: null,
        cancel_requested: false,
        compensate: false,
        ...(changes.spec ? { spec: JSON.stringify(changes.spec) } : {}),
        ...(changes.secrets && Object.keys(changes.secrets).length ? { secrets_enc: this.box.seal(changes.secrets) } : {}),
      });
    if (!n) return false;
    if (how === 'skip') {
      await trx.raw(
        `insert into task_steps (task_id, step_id, position, status, attempt, finished_at, output)
         values (?, ?, ?, 'skipped', 0, now(), '{}'::jsonb)
         on conflict (task_id, step_id) do update set status = 'skipped', finished_at = now(), output = '{}'::jsonb, error = null`,
        [taskId, step.id, step.position],
      );
    } else {
      await trx('task_steps').where({ task_id: taskId, step_id: step.id }).update({ status: 'open', error: null });
    }
    // Steps after it that failed or were cancelled run again too.
    await trx('task_steps')
      .where({ task_id: taskId })
      .where('position', '>', step.position)
      .whereIn('status', ['failed', 'cancelled', 'needs-attention'])
      .del();
    await this.appendEvent(
      taskId,
      'log',
      {
        message: how === 'skip' ? `Step ${step.id} skipped by a person; the run continues` : `Step ${step.id} will run again`,
        stepId: step.id,
        status: how === 'skip' ? 'skipped' : 'open',
      },
      {},
      trx,
    );
    return true;
  }

  /** The stored secrets of a task (for "start over" while it still has them). */
  async getSecrets(id: string): Promise<Record<string, string>> {
    const row = (await this.db('tasks').where({ id }).select('secrets_enc').first()) as { secrets_enc: string | null } | undefined;
    return this.box.open(row?.secrets_enc);
  }

  async listTasks(q: {
    createdBy?: string;
    status?: string[];
    waitingFor?: string[];
    limit: number;
    offset: number;
    order: Array<{ field: string; dir: 'asc' | 'desc' }>;
  }) {
    const base = this.db('tasks').modify((b) => {
      if (q.createdBy) b.where('created_by', q.createdBy);
      if (q.status?.length) b.whereIn('status', q.status);
      // "Waiting for me": the partial GIN index on waiting_for answers the overlap.
      if (q.waitingFor) {
        const refs = q.waitingFor.length ? q.waitingFor : [''];
        b.whereIn('status', ['waiting', 'awaiting-approval']).whereRaw(`waiting_for && array[${refs.map(() => '?').join(', ')}]::text[]`, refs);
      }
    });
    // Counted up to TASK_COUNT_LIMIT + 1 rows only: an exact count reads every match, so it would grow
    // with the number of runs (10,000 waiting ones) while the page itself does not.
    const counted = (await this.db
      .from(
        base
          .clone()
          .select(this.db.raw('1'))
          .limit(TASK_COUNT_LIMIT + 1)
          .as('c'),
      )
      .count({ count: '*' })) as [{ count: string | number }];
    const count = Number(counted[0].count);
    const rows = (await base
      .clone()
      .modify((b) => {
        for (const o of q.order) b.orderBy(o.field, o.dir);
        if (!q.order.length) b.orderBy('created_at', 'desc');
      })
      .limit(q.limit)
      .offset(q.offset)) as TaskRow[];
    if (count <= TASK_COUNT_LIMIT) return { tasks: rows.map(serialize), totalTasks: count };
    // More than the limit: a lower bound (at least the limit, and at least up to this page's end
    // when the page holds runs; an empty page past the end proves nothing beyond the limit).
    const atLeast = rows.length > 0 ? Math.max(TASK_COUNT_LIMIT, q.offset + rows.length) : TASK_COUNT_LIMIT;
    return { tasks: rows.map(serialize), totalTasks: atLeast, totalTasksIsLowerBound: true as const };
  }

  /**
   * Takes the oldest task that is open, or whose holder's lease expired (its replica died or
   * was stopped mid-run), under a lease of `leaseSeconds`. One conditional UPDATE over a
   * `FOR UPDATE SKIP LOCKED` pick: two replicas never take the same task.
   */
  async claimTask(workerId: string, leaseSeconds: number): Promise<ClaimedTask | undefined> {
    const result = await this.db.raw(
      `update tasks set status = 'processing', claimed_by = ?, last_heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => ?)
        where id = (select id from tasks
                     where status = 'open' or (status = 'processing' and lease_expires_at < now())
                     order by created_at for update skip locked limit 1)
        returning id, spec, secrets_enc, created_by, cancel_requested, compensate, deadline_at`,
      [workerId, leaseSeconds],
    );
    const row = (
      result.rows as Array<Pick<TaskRow, 'id' | 'spec' | 'secrets_enc' | 'created_by' | 'cancel_requested' | 'deadline_at'> & { compensate: boolean }>
    )[0];
    if (!row) return undefined;
    return {
      id: row.id,
      spec: json<TaskSpec>(row.spec)!,
      secrets: this.box.open(row.secrets_enc),
      ...(row.created_by ? { createdBy: row.created_by } : {}),
      ...(row.cancel_requested ? { cancelRequested: true } : {}),
      ...(row.compensate ? { compensate: true } : {}),
      ...(row.deadline_at ? { deadlineAt: new Date(row.deadline_at) } : {}),
    };
  }

  /**
   * Extends this worker's leases; returns the tasks whose cancellation was requested and those
   * it no longer holds (taken over after its lease expired: it must stop them at once).
   */
  async heartbeat(ids: string[], workerId: string, leaseSeconds: number): Promise<{ cancelled: string[]; lost: string[] }> {
    if (!ids.length) return { cancelled: [], lost: [] };
    const rows = (await this.db('tasks')
      .whereIn('id', ids)
      .where({ status: 'processing', claimed_by: workerId })
      .update({ last_heartbeat_at: this.db.fn.now(), lease_expires_at: this.db.raw(`now() + make_interval(secs => ?)`, [leaseSeconds]) })
      .returning(['id', 'cancel_requested'])) as Array<{ id: string; cancel_requested: boolean }>;
    const held = new Set(rows.map((r) => r.id));
    return { cancelled: rows.filter((r) => r.cancel_requested).map((r) => r.id), lost: ids.filter((id) => !held.has(id)) };
  }

  /** Whether cancelling the task asked for compensation (read when a running task is aborted). */
  async compensationRequested(taskId: string): Promise<boolean> {
    const row = (await this.db('tasks').where({ id: taskId }).first('compensate')) as { compensate: boolean } | undefined;
    return Boolean(row?.compensate);
  }

  async appendEvent(taskId: string, type: TaskEventType, body: TaskEventBody, secrets: Record<string, string> = {}, db: Db = this.db): Promise<void> {
    let message = maskSecrets(String(body.message ?? ''), secrets);
    if (message.length > this.limits.maxMessageLength) {
      message = `${message.slice(0, this.limits.maxMessageLength)}… [${message.length - this.limits.maxMessageLength} characters cut]`;
    }
    const clean: TaskEventBody = JSON.parse(maskSecrets(JSON.stringify({ ...body, message }), secrets)) as TaskEventBody;
    const isLogLine = type === 'log' && !body.status;
    if (!isLogLine) {
      await db('task_events').insert({ task_id: taskId, event_type: type, body: JSON.stringify(clean) });
      return;
    }
    // One round trip: count the line on the task and insert it only while under the limit;
    // the line that reaches the limit is replaced by a notice.
    const max = this.limits.maxEventsPerTask;
    const notice = JSON.stringify({ ...clean, message: `Log limit of ${max} lines reached; further output of this task is dropped.` });
    await db.raw(
      `with counted as (update tasks set event_count = event_count + 1 where id = ? returning event_count)
       insert into task_events (task_id, event_type, body)
       select ?, 'log', (case when event_count = ? then ?::jsonb else ?::jsonb end) from counted where event_count <= ?`,
      [taskId, taskId, max, notice, JSON.stringify(clean), max],
    );
  }

  async listEvents(taskId: string, after?: number): Promise<SerializedTaskEvent[]> {
    if (!isUuid(taskId)) return [];
    const rows = (await this.db('task_events')
      .where({ task_id: taskId })
      .modify((b) => {
        if (after !== undefined) b.where('id', '>', after);
      })
      .orderBy('id', 'asc')
      .limit(1000)) as EventRow[];
    return rows.map((r) => ({
      id: Number(r.id),
      taskId: r.task_id,
      type: r.event_type,
      body: json<TaskEventBody>(r.body)!,
      createdAt: iso(r.created_at)!,
    }));
  }

  /** Ends a task: final status, output or error, a completion event; secrets are deleted. */
  async finishTask(
    id: string,
    status: 'completed' | 'failed' | 'cancelled',
    result: { output?: JsonObject; error?: string },
    workerId?: string,
  ): Promise<void> {
    // One transaction: the status, the completion event and the outcome in the host's event log.
    await this.db.transaction(async (trx) => {
      const n = await trx('tasks')
        .where({ id })
        .modify((b) => {
          // A worker finishes only a task it still holds.
          if (workerId) b.where({ claimed_by: workerId, status: 'processing' });
        })
        .update({
          status,
          completed_at: trx.fn.now(),
          lease_expires_at: null,
          secrets_enc: null,
          output: result.output ? JSON.stringify(result.output) : null,
          error: result.error ?? null,
        });
      if (!n) throw new LeaseLostError(id);
      await this.appendEvent(
        id,
        status === 'cancelled' ? 'cancelled' : 'completion',
        {
          message: status === 'completed' ? 'Run completed' : status === 'cancelled' ? 'Run cancelled' : `Run failed: ${result.error ?? ''}`,
          status,
          ...(result.output ? { output: result.output } : {}),
          ...(result.error ? { error: { name: 'Error', message: result.error } } : {}),
        },
        {},
        trx,
      );
      if (status === 'cancelled') await this.outcomes?.(trx, id, 'cancelled', result.error !== undefined ? { reason: result.error } : {});
      else await this.outcomes?.(trx, id, status, result.error !== undefined ? { error: result.error } : {});
    });
  }

  /**
   * Cancels a task that is not running at once; a running one is flagged for its worker. With
   * `compensate`, a task that has completed steps is instead handed to a worker (open, flagged)
   * that runs their `undo`s in reverse order and then ends it cancelled. In `trx`.
   */
  async requestCancel(trx: Knex.Transaction, id: string, compensate = false): Promise<TaskStatus | undefined> {
    const idle = ['open', 'awaiting-approval', 'waiting', 'needs-attention', ...(compensate ? ['failed'] : [])];
    const hasDoneSteps = compensate && Boolean(await trx('task_steps').where({ task_id: id, status: 'completed' }).first('step_id'));
    if (hasDoneSteps) {
      const n = await trx('tasks')
        .whereIn('status', idle)
        .where({ id })
        .update({ status: 'open', cancel_requested: true, compensate: true, waiting_on: null, wake_at: null, waiting_for: null, attention: null });
      if (n) {
        await this.appendEvent(id, 'log', { message: 'Cancel requested: undoing the completed steps' }, {}, trx);
        return 'open';
      }
    } else {
      const before = (await trx('tasks').where({ id }).first('status')) as { status: TaskStatus } | undefined;
      const now = await trx('tasks')
        .whereIn('status', idle)
        .where({ id })
        .update({ status: 'cancelled', completed_at: trx.fn.now(), secrets_enc: null, waiting_on: null, wake_at: null, waiting_for: null });
      if (now) {
        await trx('task_steps').where({ task_id: id }).whereIn('status', ['waiting', 'needs-attention', 'open']).update({ status: 'cancelled' });
        await this.appendEvent(id, 'cancelled', { message: 'Run cancelled', status: 'cancelled' }, {}, trx);
        await this.outcomes?.(trx, id, 'cancelled', { reason: `Cancelled while ${before?.status ?? 'idle'}` });
        return 'cancelled';
      }
    }
    await trx('tasks')
      .where({ id, status: 'processing' })
      .update({ cancel_requested: true, ...(compensate ? { compensate: true } : {}) });
    const row = (await trx('tasks').where({ id }).first('status')) as { status: TaskStatus } | undefined;
    return row?.status;
  }

  /** Approves (the task is open for a worker) or rejects (it ends cancelled) a task awaiting approval; one transaction with its log line and, for a rejection, its outcome event. */
  async decideApproval(id: string, approval: ApprovalState): Promise<boolean> {
    const status = approval.decision === 'approved' ? 'open' : 'cancelled';
    const decision = `${approval.decision === 'approved' ? 'Approved' : 'Rejected'} by ${approval.decidedBy}${approval.comment ? `: ${approval.comment}` : ''}`;
    return this.db.transaction(async (trx) => {
      const n = await trx('tasks')
        .where({ id, status: 'awaiting-approval' })
        .update({
          status,
          waiting_for: null,
          approval: JSON.stringify(approval),
          ...(status === 'cancelled' ? { completed_at: trx.fn.now(), secrets_enc: null, error: decision } : {}),
        });
      if (!n) return false;
      await this.appendEvent(
        id,
        status === 'open' ? 'log' : 'cancelled',
        { message: decision, ...(status === 'cancelled' ? { status: 'cancelled' as const } : {}) },
        {},
        trx,
      );
      if (status === 'cancelled')
        await this.outcomes?.(trx, id, 'rejected', { reason: decision, ...(approval.decidedBy ? { decidedBy: approval.decidedBy } : {}) });
      return true;
    });
  }
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function serializeStep(r: StepRow): StepRecord {
  const output = json<JsonObject>(r.output);
  const files = json<SnapshotFile[]>(r.files);
  return {
    id: r.step_id,
    status: r.status,
    attempt: r.attempt,
    ...(r.started_at ? { startedAt: iso(r.started_at)! } : {}),
    ...(r.finished_at ? { finishedAt: iso(r.finished_at)! } : {}),
    ...(output ? { output } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(files ? { fileCount: files.length } : {}),
  };
}

function serialize(row: TaskRow): SerializedTask {
  const approval = json<ApprovalState>(row.approval);
  const output = json<JsonObject>(row.output);
  const waitingOn = json<WaitingOn>(row.waiting_on ?? null);
  const attention = json<{ stepId: string; reason: string; lastLog?: string }>(row.attention ?? null);
  return {
    id: row.id,
    spec: json<TaskSpec>(row.spec)!,
    status: row.status,
    createdAt: iso(row.created_at)!,
    ...(row.last_heartbeat_at ? { lastHeartbeatAt: iso(row.last_heartbeat_at)! } : {}),
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    templateRef: row.template_ref,
    ...(approval ? { approval } : {}),
    ...(output ? { output } : {}),
    ...(row.error ? { error: row.error } : {}),
    ...(row.completed_at ? { completedAt: iso(row.completed_at)! } : {}),
    ...(row.retry_of ? { retryOf: row.retry_of } : {}),
    ...(waitingOn ? { waitingOn } : {}),
    ...(attention ? { attention } : {}),
    ...(row.deadline_at ? { deadlineAt: iso(row.deadline_at)! } : {}),
  };
}
