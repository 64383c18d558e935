import { ConflictError, defineRoute, InputError, NotFoundError, type JsonSchema } from '@atrium/backend-plugin-api';
import type { JsonObject, SerializedTask } from '../../common/index.js';
import { loadTemplate, validateValues } from '../templates.js';
import { checkSteps } from './taskSpecs.js';
import { taskNotFound, taskOr404, type ScaffolderRouteServices } from './services.js';
import { publicWaiting, type StoredWaiting } from '../tasks/waits.js';

export const TASK_RESUME = 'scaffolder.task.resume';

interface StepParams {
  taskId: string;
  stepId: string;
}

const stepParams: JsonSchema = {
  type: 'object',
  required: ['taskId', 'stepId'],
  properties: {
    taskId: { type: 'string', minLength: 1, description: 'Task id (a UUID)' },
    stepId: { type: 'string', minLength: 1, maxLength: 200, description: "The step's id" },
  },
};

const taskResponse = { description: 'The task after the change', schema: { type: 'object' } };
const conflict = {
  ...taskNotFound,
  '409': { description: 'The task is not in a state where this applies (completed, cancelled, running, or stopped at another step)' },
};

interface RetryBody {
  parameters?: JsonObject;
  secrets?: Record<string, string>;
}

const retryBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    parameters: {
      type: 'object',
      description: "New form values, checked against the template's parameters; only when the template sets spec.retry.editParameters: true",
    },
    secrets: { type: 'object', additionalProperties: { type: 'string' }, description: "Secrets for the rest of the run (a failed task's were deleted)" },
  },
};

/** Where a task stopped: the first step that is neither completed nor skipped. */
function stoppedAt(task: SerializedTask): { id: string; position: number } | undefined {
  const done = new Set((task.steps ?? []).filter((s) => s.status === 'completed' || s.status === 'skipped').map((s) => s.id));
  const position = task.spec.steps.findIndex((s) => !done.has(s.id));
  return position < 0 ? undefined : { id: task.spec.steps[position]!.id, position };
}

function assertReopenable(task: SerializedTask, stepId: string | undefined, verb: string): { id: string; position: number } {
  if (task.status === 'completed' || task.status === 'cancelled') throw new ConflictError(`Task ${task.id} is ${task.status}; there is no step to ${verb}`);
  if (task.status !== 'failed' && task.status !== 'needs-attention') {
    throw new ConflictError(`Task ${task.id} is ${task.status}; only a failed task or one that needs attention can ${verb} a step`);
  }
  const at = stoppedAt(task);
  if (stepId !== undefined && !task.spec.steps.some((s) => s.id === stepId)) throw new NotFoundError(`Task ${task.id} has no step "${stepId}"`);
  if (!at) throw new ConflictError(`Task ${task.id} has no unfinished step`);
  if (stepId !== undefined && at.id !== stepId) throw new ConflictError(`Task ${task.id} stopped at step "${at.id}", not "${stepId}"`);
  return at;
}

async function reopen(
  how: 'retry' | 'skip',
  taskId: string,
  stepId: string | undefined,
  body: RetryBody,
  caller: Parameters<ScaffolderRouteServices['audit']['record']>[0]['actor'],
  services: ScaffolderRouteServices,
): Promise<SerializedTask> {
  const { store, catalog, registry, db, audit, worker } = services;
  const task = await taskOr404(store, taskId);
  const at = assertReopenable(task, stepId, how);
  let spec = task.spec;
  if (body.parameters) {
    const template = await loadTemplate(catalog, task.templateRef ?? task.spec.templateInfo.entityRef);
    const retry = template.spec['retry'] as { editParameters?: unknown } | undefined;
    if (retry?.editParameters !== true)
      throw new InputError(`The template ${task.templateRef} does not allow editing parameters on retry (spec.retry.editParameters: true)`);
    const errors = validateValues(template, body.parameters);
    if (errors.length) throw new InputError(`Invalid template parameters: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
    spec = { ...task.spec, parameters: body.parameters };
    checkSteps(spec, registry, body.secrets ?? {});
  }
  await db.transaction(async (trx) => {
    const ok = await store.reopenAtStep(trx, task.id, at, how, { ...(body.parameters ? { spec } : {}), ...(body.secrets ? { secrets: body.secrets } : {}) });
    if (!ok) throw new ConflictError(`Task ${task.id} changed meanwhile`);
    await audit.record(
      {
        actor: caller,
        action: `scaffolder.task.step.${how}`,
        target: task.id,
        outcome: 'succeeded',
        meta: { stepId: at.id, ...(body.parameters ? { editedParameters: true } : {}) },
      },
      { trx },
    );
  });
  worker.wake();
  return taskOr404(store, task.id);
}

/** POST /v2/tasks/:taskId/steps/:stepId/retry: run a failed (or cut-off) step again, then the rest. */
export const retryStep = defineRoute<ScaffolderRouteServices, StepParams, Record<string, unknown>, RetryBody>({
  method: 'post',
  path: '/v2/tasks/:taskId/steps/:stepId/retry',
  params: stepParams,
  body: retryBody,
  permission: TASK_RESUME,
  summary: 'Retry the step a failed task (or one that needs attention) stopped at, optionally with edited parameters',
  response: taskResponse,
  responses: conflict,
  handler: ({ params, body, caller }, services) => reopen('retry', params.taskId, params.stepId, body, caller, services),
});

/** POST /v2/tasks/:taskId/steps/:stepId/skip: mark the step skipped (empty output) and continue. */
export const skipStep = defineRoute<ScaffolderRouteServices, StepParams>({
  method: 'post',
  path: '/v2/tasks/:taskId/steps/:stepId/skip',
  params: stepParams,
  permission: TASK_RESUME,
  summary: 'Skip the step a failed task (or one that needs attention) stopped at, and continue',
  response: taskResponse,
  responses: conflict,
  handler: ({ params, caller }, services) => reopen('skip', params.taskId, params.stepId, {}, caller, services),
});

/** POST /v2/tasks/:taskId/resume: retry wherever the task stopped. */
export const resumeTask = defineRoute<ScaffolderRouteServices, { taskId: string }, Record<string, unknown>, RetryBody>({
  method: 'post',
  path: '/v2/tasks/:taskId/resume',
  params: { type: 'object', required: ['taskId'], properties: { taskId: { type: 'string', minLength: 1 } } },
  body: retryBody,
  permission: TASK_RESUME,
  summary: 'Resume a failed task (or one that needs attention) at the step it stopped at',
  response: taskResponse,
  responses: conflict,
  handler: ({ params, body, caller }, services) => reopen('retry', params.taskId, undefined, body, caller, services),
});

interface DecisionBody {
  decision: 'approve' | 'reject';
  comment?: string;
}

/** POST /v2/tasks/:taskId/steps/:stepId/approval: an approver's decision on a wait:approval step. */
export const decideStepApproval = defineRoute<ScaffolderRouteServices, StepParams, Record<string, unknown>, DecisionBody>({
  method: 'post',
  path: '/v2/tasks/:taskId/steps/:stepId/approval',
  params: stepParams,
  body: {
    type: 'object',
    required: ['decision'],
    additionalProperties: false,
    properties: { decision: { enum: ['approve', 'reject'] }, comment: { type: 'string', maxLength: 2000 } },
  },
  permission: 'scaffolder.task.approve',
  summary: "Approve or reject a wait:approval step (only the step's approvers; not one's own task unless the step allows it)",
  response: taskResponse,
  responses: conflict,
  handler: async ({ params, body, caller }, { waits, store }) => {
    await waits.decide(params.taskId, params.stepId, caller, body.decision, body.comment);
    const task = await taskOr404(store, params.taskId);
    return { ...task, ...(task.waitingOn ? { waitingOn: publicWaiting(task.waitingOn as StoredWaiting, caller, task.createdBy) } : {}) };
  },
});

/** POST /v2/tasks/:taskId/steps/:stepId/callback?token=: the one-time signed URL of a wait:callback step. */
export const callbackRoute = defineRoute<ScaffolderRouteServices, StepParams, { token: string }, JsonObject>({
  method: 'post',
  path: '/v2/tasks/:taskId/steps/:stepId/callback',
  params: stepParams,
  query: {
    type: 'object',
    required: ['token'],
    properties: { token: { type: 'string', minLength: 1, maxLength: 200, description: 'The signed one-time token of the URL' } },
  },
  body: { type: 'object', description: "The result, checked against the step's input.schema" },
  permission: { public: true, reason: 'authenticated by the HMAC signature in the one-time URL (401 when bad or used)' },
  summary: 'Complete a wait:callback step (one-time signed URL)',
  response: { status: 202, description: 'Accepted: the task continues', schema: { type: 'object', properties: { status: { type: 'string' } } } },
  responses: {
    '400': { description: "The body does not match the step's schema; the task still waits" },
    '401': { description: 'Bad or used signature; the task is unchanged' },
  },
  handler: async ({ params, query, body, res }, { waits }) => {
    await waits.callback(params.taskId, params.stepId, query.token, body);
    res.status(202);
    return { status: 'accepted' };
  },
});
