import { defineEventTopic, type EventLogService } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';

/** What the event log carries for a task outcome (`scaffolder.task.<outcome>`). */
export interface ScaffolderTaskOutcomeEvent {
  taskId: string;
  status: TaskOutcome;
  templateRef: string;
  createdBy: string | null;
  retryOf: string | null;
  /** failed: the (secret-masked) error; needs-attention, cancelled, rejected: the reason. */
  error?: string;
  reason?: string;
  stepId?: string;
  /** rejected: who rejected the approval. */
  decidedBy?: string;
}

/**
 * The outcomes appended to the host's durable event log, in the transaction that records them
 * (change feed, automations, notifications). Without an entity ref: the feed shows them to
 * callers with `scaffolder.task.read`.
 */
export const scaffolderTaskCompleted = defineEventTopic<ScaffolderTaskOutcomeEvent>('scaffolder.task.completed');
export const scaffolderTaskFailed = defineEventTopic<ScaffolderTaskOutcomeEvent>('scaffolder.task.failed');
export const scaffolderTaskNeedsAttention = defineEventTopic<ScaffolderTaskOutcomeEvent>('scaffolder.task.needs-attention');
export const scaffolderTaskAwaitingApproval = defineEventTopic<ScaffolderTaskOutcomeEvent>('scaffolder.task.awaiting-approval');
/** Cancelled by a person (before it ran, while it waited, or while running; after compensation). */
export const scaffolderTaskCancelled = defineEventTopic<ScaffolderTaskOutcomeEvent>('scaffolder.task.cancelled');
/** Its approval was rejected (the task ends cancelled). */
export const scaffolderTaskRejected = defineEventTopic<ScaffolderTaskOutcomeEvent>('scaffolder.task.rejected');

const TOPICS = {
  completed: scaffolderTaskCompleted,
  failed: scaffolderTaskFailed,
  'needs-attention': scaffolderTaskNeedsAttention,
  'awaiting-approval': scaffolderTaskAwaitingApproval,
  cancelled: scaffolderTaskCancelled,
  rejected: scaffolderTaskRejected,
} as const;

export type TaskOutcome = keyof typeof TOPICS;

/** Appends one outcome; pass the transaction that changes the task's status so both commit together. */
export type TaskOutcomeRecorder = (
  db: Knex | Knex.Transaction,
  taskId: string,
  outcome: TaskOutcome,
  detail?: { error?: string; reason?: string; stepId?: string; decidedBy?: string },
) => Promise<void>;

/**
 * Who started the task, when it was not a person: the `startedBy` a plugin passed when it
 * created the task (kept on the task's first log line). An automation's `hop` is carried on so
 * a chain of automations that run templates is counted (and stopped) like any other loop.
 */
async function startedByOf(db: Knex | Knex.Transaction, taskId: string): Promise<Record<string, unknown> | undefined> {
  const row = (await db('task_events').where({ task_id: taskId }).whereRaw(`body->'startedBy' is not null`).orderBy('id').first('body')) as
    { body: unknown } | undefined;
  const body = typeof row?.body === 'string' ? (JSON.parse(row.body) as Record<string, unknown>) : (row?.body as Record<string, unknown> | undefined);
  const by = body?.['startedBy'];
  return by && typeof by === 'object' ? (by as Record<string, unknown>) : undefined;
}

export function taskOutcomeRecorder(eventLog: EventLogService): TaskOutcomeRecorder {
  return async (db, taskId, outcome, detail = {}) => {
    const task = (await db('tasks').where({ id: taskId }).first('template_ref', 'created_by', 'retry_of')) as
      { template_ref: string; created_by: string | null; retry_of: string | null } | undefined;
    if (!task) return;
    const startedBy = await startedByOf(db, taskId);
    const hop = Number(startedBy?.['hop']);
    const payload: ScaffolderTaskOutcomeEvent = {
      taskId,
      status: outcome,
      templateRef: task.template_ref,
      createdBy: task.created_by,
      retryOf: task.retry_of,
      ...(detail.error !== undefined ? { error: detail.error } : {}),
      ...(detail.reason !== undefined ? { reason: detail.reason } : {}),
      ...(detail.stepId !== undefined ? { stepId: detail.stepId } : {}),
      ...(detail.decidedBy !== undefined ? { decidedBy: detail.decidedBy } : {}),
    };
    const trx = (db as Knex.Transaction).isTransaction ? (db as Knex.Transaction) : undefined;
    await eventLog.append(
      [
        {
          topic: TOPICS[outcome].name,
          payload,
          actor: 'plugin:scaffolder',
          meta: {
            summary: `Task ${taskId} of ${task.template_ref}: ${outcome}${detail.error ? ` (${detail.error.slice(0, 200)})` : detail.reason ? ` (${detail.reason.slice(0, 200)})` : ''}`,
            ...(Number.isInteger(hop) && hop > 0 ? { hop } : {}),
            ...(startedBy ? { startedBy } : {}),
          },
        },
      ],
      trx ? { trx } : {},
    );
  };
}
