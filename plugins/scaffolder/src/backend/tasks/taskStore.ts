import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type {
  ApprovalState,
  JsonObject,
  SerializedTask,
  SerializedTaskEvent,
  TaskEventBody,
  TaskEventType,
  TaskSpec,
  TaskStatus,
} from '../../common/index.js';
import { maskSecrets, type SecretBox } from './secrets.js';

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
}

interface EventRow {
  id: string | number;
  task_id: string;
  event_type: TaskEventType;
  body: TaskEventBody | string;
  created_at: Date | string;
}

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
}

/** Tasks and their events, in the plugin's own schema. */
export class TaskStore {
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
    private readonly limits: LogLimits,
  ) {}

  async createTask(input: {
    spec: TaskSpec;
    templateRef: string;
    createdBy: string;
    secrets?: Record<string, string>;
    approval?: ApprovalState;
    retryOf?: string;
  }): Promise<string> {
    const id = randomUUID();
    await this.db('tasks').insert({
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
    return row ? serialize(row) : undefined;
  }

  /** The stored secrets of a task (for "start over" while it still has them). */
  async getSecrets(id: string): Promise<Record<string, string>> {
    const row = (await this.db('tasks').where({ id }).select('secrets_enc').first()) as { secrets_enc: string | null } | undefined;
    return this.box.open(row?.secrets_enc);
  }

  async listTasks(q: { createdBy?: string; status?: string[]; limit: number; offset: number; order: Array<{ field: string; dir: 'asc' | 'desc' }> }) {
    const base = this.db('tasks').modify((b) => {
      if (q.createdBy) b.where('created_by', q.createdBy);
      if (q.status?.length) b.whereIn('status', q.status);
    });
    const [{ count }] = (await base.clone().count({ count: '*' })) as [{ count: string | number }];
    const rows = (await base
      .clone()
      .modify((b) => {
        for (const o of q.order) b.orderBy(o.field, o.dir);
        if (!q.order.length) b.orderBy('created_at', 'desc');
      })
      .limit(q.limit)
      .offset(q.offset)) as TaskRow[];
    return { tasks: rows.map(serialize), totalTasks: Number(count) };
  }

  /** Takes the oldest open task for this worker; replicas never take the same one (SKIP LOCKED). */
  async claimTask(workerId: string): Promise<ClaimedTask | undefined> {
    const result = await this.db.raw(
      `update tasks set status = 'processing', claimed_by = ?, last_heartbeat_at = now()
        where id = (select id from tasks where status = 'open' order by created_at for update skip locked limit 1)
        returning id, spec, secrets_enc, created_by`,
      [workerId],
    );
    const row = (result.rows as Array<Pick<TaskRow, 'id' | 'spec' | 'secrets_enc' | 'created_by'>>)[0];
    if (!row) return undefined;
    return { id: row.id, spec: json<TaskSpec>(row.spec)!, secrets: this.box.open(row.secrets_enc), ...(row.created_by ? { createdBy: row.created_by } : {}) };
  }

  /** Marks tasks alive; returns those whose cancellation was requested. */
  async heartbeat(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = (await this.db('tasks')
      .whereIn('id', ids)
      .where('status', 'processing')
      .update({ last_heartbeat_at: this.db.fn.now() })
      .returning(['id', 'cancel_requested'])) as Array<{ id: string; cancel_requested: boolean }>;
    return rows.filter((r) => r.cancel_requested).map((r) => r.id);
  }

  async appendEvent(taskId: string, type: TaskEventType, body: TaskEventBody, secrets: Record<string, string> = {}): Promise<void> {
    let message = maskSecrets(String(body.message ?? ''), secrets);
    if (message.length > this.limits.maxMessageLength) {
      message = `${message.slice(0, this.limits.maxMessageLength)}… [${message.length - this.limits.maxMessageLength} characters cut]`;
    }
    const clean: TaskEventBody = JSON.parse(maskSecrets(JSON.stringify({ ...body, message }), secrets)) as TaskEventBody;
    const isLogLine = type === 'log' && !body.status;
    if (!isLogLine) {
      await this.db('task_events').insert({ task_id: taskId, event_type: type, body: JSON.stringify(clean) });
      return;
    }
    // One round trip: count the line on the task and insert it only while under the limit;
    // the line that reaches the limit is replaced by a notice.
    const max = this.limits.maxEventsPerTask;
    const notice = JSON.stringify({ ...clean, message: `Log limit of ${max} lines reached; further output of this task is dropped.` });
    await this.db.raw(
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
  async finishTask(id: string, status: 'completed' | 'failed' | 'cancelled', result: { output?: JsonObject; error?: string }): Promise<void> {
    await this.db('tasks')
      .where({ id })
      .update({
        status,
        completed_at: this.db.fn.now(),
        secrets_enc: null,
        output: result.output ? JSON.stringify(result.output) : null,
        error: result.error ?? null,
      });
    await this.appendEvent(id, status === 'cancelled' ? 'cancelled' : 'completion', {
      message: status === 'completed' ? 'Run completed' : status === 'cancelled' ? 'Run cancelled' : `Run failed: ${result.error ?? ''}`,
      status,
      ...(result.output ? { output: result.output } : {}),
      ...(result.error ? { error: { name: 'Error', message: result.error } } : {}),
    });
  }

  /** Cancels an open or waiting task at once; a running one is flagged for its worker. */
  async requestCancel(id: string): Promise<TaskStatus | undefined> {
    const now = await this.db('tasks').whereIn('status', ['open', 'awaiting-approval']).where({ id }).update({ status: 'cancelled', completed_at: this.db.fn.now(), secrets_enc: null });
    if (now) {
      await this.appendEvent(id, 'cancelled', { message: 'Run cancelled before it started', status: 'cancelled' });
      return 'cancelled';
    }
    await this.db('tasks').where({ id, status: 'processing' }).update({ cancel_requested: true });
    return (await this.getTask(id))?.status;
  }

  /**
   * Tasks whose worker stopped heartbeating (the backend restarted or crashed mid-run) are
   * marked failed, never resumed: actions have side effects we cannot safely repeat.
   */
  async failStaleTasks(staleSeconds: number): Promise<string[]> {
    const rows = (await this.db('tasks')
      .where('status', 'processing')
      .where('last_heartbeat_at', '<', this.db.raw(`now() - make_interval(secs => ?)`, [staleSeconds]))
      .select('id')) as Array<{ id: string }>;
    for (const { id } of rows) {
      const n = await this.db('tasks').where({ id, status: 'processing' }).update({
        status: 'failed',
        completed_at: this.db.fn.now(),
        secrets_enc: null,
        error: `The task was interrupted: its worker stopped (backend restart or crash) with no heartbeat for over ${staleSeconds} s. Nothing is resumed; use "Start over" to run it again.`,
      });
      if (n) await this.appendEvent(id, 'completion', { message: 'Run failed: interrupted by a backend restart', status: 'failed', error: { name: 'TaskInterruptedError', message: 'Interrupted by a backend restart' } });
    }
    return rows.map((r) => r.id);
  }

  async decideApproval(id: string, approval: ApprovalState): Promise<boolean> {
    const status = approval.decision === 'approved' ? 'open' : 'cancelled';
    const n = await this.db('tasks')
      .where({ id, status: 'awaiting-approval' })
      .update({
        status,
        approval: JSON.stringify(approval),
        ...(status === 'cancelled' ? { completed_at: this.db.fn.now(), secrets_enc: null, error: `Rejected by ${approval.decidedBy}${approval.comment ? `: ${approval.comment}` : ''}` } : {}),
      });
    if (!n) return false;
    await this.appendEvent(id, status === 'open' ? 'log' : 'cancelled', {
      message: `${approval.decision === 'approved' ? 'Approved' : 'Rejected'} by ${approval.decidedBy}${approval.comment ? `: ${approval.comment}` : ''}`,
      ...(status === 'cancelled' ? { status: 'cancelled' as const } : {}),
    });
    return true;
  }
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function serialize(row: TaskRow): SerializedTask {
  const approval = json<ApprovalState>(row.approval);
  const output = json<JsonObject>(row.output);
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
  };
}
