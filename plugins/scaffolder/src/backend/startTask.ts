import { createHash } from 'node:crypto';
import { inputValidator, type Caller, type JsonSchema } from '@atrium/backend-plugin-api';
import type { JsonObject } from '../common/index.js';
import type { ScaffolderRouteServices } from './routes/services.js';
import { assertTemplateStructure, checkedTaskSpec } from './routes/taskSpecs.js';
import { parseDurationMs } from './tasks/durable.js';
import { approvalOf, loadTemplate, templateRefOf } from './templates.js';
import type { TaskOutcomeRecorder } from './taskOutcomes.js';

/** POST /v2/tasks and `ScaffolderActionsService.createTask`: the template to run and its values. */
export interface CreateTaskRequest {
  templateRef: string;
  values?: JsonObject;
  secrets?: Record<string, string>;
}

export const createTaskBody: JsonSchema = {
  type: 'object',
  required: ['templateRef'],
  additionalProperties: false,
  properties: {
    templateRef: { type: 'string', minLength: 1, description: 'The Template entity to run, e.g. template:default/service' },
    values: { type: 'object', default: {}, description: "The form's values, checked against the template's parameters" },
    secrets: { type: 'object', additionalProperties: { type: 'string' }, description: 'Kept encrypted until the task ends; never logged' },
  },
};

export interface StartTaskOptions {
  /**
   * The same key (per caller) starts one task only: a second call answers the first task's id
   * with `existed: true`. For plugins that may retry (an automation's at-least-once delivery).
   */
  idempotencyKey?: string;
  /** Check everything (template, permission, values, steps), create nothing. */
  dryRun?: boolean;
  /** Who started it, when not a person (kept on the task's first log line and in its outcome events). */
  startedBy?: Record<string, unknown>;
}

export type StartTaskServices = Pick<ScaffolderRouteServices, 'catalog' | 'permissions' | 'registry' | 'store' | 'audit' | 'worker' | 'runner'> & {
  outcomes?: TaskOutcomeRecorder;
  db?: ScaffolderRouteServices['db'];
};

const validateRequest = inputValidator<CreateTaskRequest>(createTaskBody, 'body');
const TASK_CREATE = 'scaffolder.task.create';

/** A UUID derived from the caller and its key (same inputs, same id), shaped as a version 4 UUID. */
export function taskIdForKey(callerRef: string, key: string): string {
  const h = createHash('sha256').update(`${callerRef}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Runs a template for `caller`: the Template is read from the catalog, the caller must have
 * `scaffolder.task.create` on it, the values and steps are checked (an InputError lists every
 * problem), then the task is queued (or waits for approval), audited, and a worker woken.
 */
export async function startTask(
  services: StartTaskServices,
  caller: Caller,
  input: CreateTaskRequest,
  options: StartTaskOptions = {},
): Promise<{ id?: string; existed?: boolean; awaitingApproval?: boolean }> {
  const { catalog, permissions, registry, store, audit, worker, runner } = services;
  const body = validateRequest({ values: {}, ...input });
  const template = await loadTemplate(catalog, body.templateRef);
  // Again with the template: a policy may allow running only some templates (by tag, owner, type…).
  await permissions.assert(caller, { permission: TASK_CREATE, resourceRef: templateRefOf(template), resource: template });
  await assertTemplateStructure(template, registry, runner);
  const spec = checkedTaskSpec(template, body.values ?? {}, body.secrets ?? {}, registry, caller.userEntityRef);
  const approval = approvalOf(template);
  if (options.dryRun) return { ...(approval ? { awaitingApproval: true } : {}) };
  const wanted = options.idempotencyKey !== undefined ? taskIdForKey(caller.userEntityRef, options.idempotencyKey) : undefined;
  if (wanted && (await store.getTask(wanted))) return { id: wanted, existed: true };
  const timeoutMs = spec.timeout !== undefined ? parseDurationMs(spec.timeout) : undefined;
  let id: string;
  try {
    id = await store.createTask({
      spec,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      templateRef: templateRefOf(template),
      createdBy: caller.userEntityRef,
      ...(body.secrets ? { secrets: body.secrets } : {}),
      ...(approval ? { approval } : {}),
      ...(wanted ? { id: wanted } : {}),
    });
  } catch (e) {
    // The same key raced on another replica: its task is the one.
    if (wanted && (await store.getTask(wanted))) return { id: wanted, existed: true };
    throw e;
  }
  await store.appendEvent(id, 'log', {
    message: `${approval ? `Waiting for approval by ${approval.approvers.join(', ')}` : 'Task queued'}${options.startedBy ? ` (started by ${caller.userEntityRef})` : ''}`,
    ...(options.startedBy ? { startedBy: options.startedBy } : {}),
  });
  if (approval && services.outcomes && services.db) await services.outcomes(services.db, id, 'awaiting-approval');
  audit.record({
    actor: caller,
    action: 'scaffolder.task.create',
    target: id,
    meta: { templateRef: templateRefOf(template), ...(options.startedBy ? { startedBy: options.startedBy } : {}) },
  });
  worker.wake();
  return { id, ...(approval ? { awaitingApproval: true } : {}) };
}
