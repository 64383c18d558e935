import { defineRoute, type JsonSchema } from '@atrium/backend-plugin-api';
import type { JsonObject, TaskStatus } from '../../common/index.js';
import { approvalOf, buildTaskSpec, loadTemplate, templateRefOf } from '../templates.js';
import { checkSteps } from './taskSpecs.js';
import { createTaskBody, startTask, type CreateTaskRequest } from '../startTask.js';
import { publicWaiting, type StoredWaiting } from '../tasks/waits.js';
import type { Caller } from '@atrium/backend-plugin-api';
import type { SerializedTask } from '../../common/index.js';

/** A task as a caller may see it: the wait's internals never, its callback URL only for the task's creator. */
export function forCaller(task: SerializedTask, caller: Caller): SerializedTask {
  return task.waitingOn ? { ...task, waitingOn: publicWaiting(task.waitingOn as StoredWaiting, caller, task.createdBy) } : task;
}
import { TASK_CREATE, TASK_READ, taskIdParams, taskNotFound, taskOr404, type ScaffolderRouteServices, type TaskIdParams } from './services.js';

type CreateTaskBody = CreateTaskRequest & { values: JsonObject };

const STATUSES: TaskStatus[] = ['open', 'awaiting-approval', 'processing', 'waiting', 'needs-attention', 'completed', 'failed', 'cancelled'];
const ORDER = '(asc|desc):(created_at|status|created_by)';
/** Lists in the query come repeated (`?status=a&status=b`) or comma-separated (`?status=a,b`); each item is checked whole. */
const commaList = (item: string) => ({ type: 'array', items: { type: 'string', pattern: `^${item}(,${item})*$` } });

interface ListTasksQuery {
  createdBy?: string;
  owned?: boolean;
  waitingForMe?: boolean;
  status?: string[];
  order?: string[];
  limit: number;
  offset: number;
}

const listTasksQuery: JsonSchema = {
  type: 'object',
  properties: {
    createdBy: { type: 'string', description: 'Only tasks this user ref started' },
    owned: { type: 'boolean', description: "Only the caller's tasks" },
    waitingForMe: { type: 'boolean', description: "Only tasks waiting for the caller's approval (the caller or one of its groups is an approver)" },
    status: { ...commaList(`(${STATUSES.join('|')})`), description: `Any of ${STATUSES.join(', ')}` },
    order: { ...commaList(ORDER), description: 'e.g. desc:created_at' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
};

const split = (list: string[] | undefined) => (list ?? []).flatMap((s) => s.split(','));

/** POST /v2/tasks: run a template. Checked first without a target, then with the Template entity. */
export const createTask = defineRoute<ScaffolderRouteServices, Record<string, string>, Record<string, unknown>, CreateTaskBody>({
  method: 'post',
  path: '/v2/tasks',
  body: createTaskBody,
  permission: TASK_CREATE,
  summary: 'Run a template: {templateRef, values, secrets?}',
  response: { status: 201, description: 'The task was queued (or waits for approval)', schema: { type: 'object', properties: { id: { type: 'string' } } } },
  responses: { '404': { description: 'No such template' } },
  handler: async ({ body, caller }, services) => ({ id: (await startTask(services, caller, body)).id }),
});

/** GET /v2/tasks */
export const listTasks = defineRoute<ScaffolderRouteServices, Record<string, string>, ListTasksQuery>({
  method: 'get',
  path: '/v2/tasks',
  query: listTasksQuery,
  permission: TASK_READ,
  summary: 'List tasks (createdBy, owned, waitingForMe, status, order, limit, offset)',
  response: {
    description:
      '{tasks, totalTasks, totalTasksIsLowerBound?}: totalTasks is exact up to 1,000 matches, beyond it a lower bound with totalTasksIsLowerBound: true',
    schema: {
      type: 'object',
      properties: { tasks: { type: 'array' }, totalTasks: { type: 'integer' }, totalTasksIsLowerBound: { type: 'boolean', enum: [true] } },
    },
  },
  handler: async ({ query: q, caller }, { store }) => {
    const createdBy = q.owned ? caller.userEntityRef : q.createdBy;
    const status = split(q.status) as TaskStatus[];
    const page = await store.listTasks({
      ...(createdBy ? { createdBy } : {}),
      ...(q.waitingForMe ? { waitingFor: [...new Set([caller.userEntityRef, ...caller.ownershipEntityRefs])] } : {}),
      ...(status.length ? { status } : {}),
      limit: q.limit,
      offset: q.offset,
      order: split(q.order).map((o) => {
        const [dir, field] = o.split(':') as ['asc' | 'desc', string];
        return { field, dir };
      }),
    });
    return { ...page, tasks: page.tasks.map((t) => forCaller(t, caller)) };
  },
});

/** GET /v2/tasks/:taskId */
export const getTask = defineRoute<ScaffolderRouteServices, TaskIdParams>({
  method: 'get',
  path: '/v2/tasks/:taskId',
  params: taskIdParams,
  permission: TASK_READ,
  summary: 'One task',
  response: { description: 'Task', schema: { type: 'object' } },
  responses: taskNotFound,
  handler: async ({ params, caller }, { store }) => forCaller(await taskOr404(store, params.taskId), caller),
});

/**
 * POST /v2/tasks/:taskId/cancel: a finished task answers its status unchanged (not audited).
 * With `{ compensate: true }` the completed steps' `undo`s run in reverse order first (a failed
 * task can be compensated too).
 */
export const cancelTask = defineRoute<ScaffolderRouteServices, TaskIdParams, Record<string, unknown>, { compensate?: boolean }>({
  method: 'post',
  path: '/v2/tasks/:taskId/cancel',
  params: taskIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { compensate: { type: 'boolean', description: "Undo the completed steps (their actions' undo), last first" } },
  },
  permission: 'scaffolder.task.cancel',
  summary: 'Cancel a task, optionally undoing its completed steps ({compensate: true})',
  response: { description: '{status}', schema: { type: 'object', properties: { status: { type: 'string' } } } },
  responses: taskNotFound,
  handler: async ({ params, body, caller }, { store, audit, db, worker }) => {
    const task = await taskOr404(store, params.taskId);
    const compensate = body?.compensate === true;
    if (task.status === 'completed' || task.status === 'cancelled' || (task.status === 'failed' && !compensate)) return { status: task.status };
    const status = await db.transaction(async (trx) => {
      const s = await store.requestCancel(trx, task.id, compensate);
      await audit.record({ actor: caller, action: 'scaffolder.task.cancel', target: task.id, outcome: 'succeeded', meta: { compensate } }, { trx });
      return s;
    });
    if (status === 'open') worker.wake();
    return { status: status === 'processing' || status === 'open' ? (compensate ? 'compensating' : 'cancelled') : status };
  },
});

const retryBody: JsonSchema = {
  type: 'object',
  properties: { secrets: { type: 'object', additionalProperties: { type: 'string' }, description: "Default: the task's own, while still stored" } },
};

/** POST /v2/tasks/:taskId/retry: "start over", a new task from the same template and values. */
export const retryTask = defineRoute<ScaffolderRouteServices, TaskIdParams, Record<string, unknown>, { secrets?: Record<string, string> }>({
  method: 'post',
  path: '/v2/tasks/:taskId/retry',
  params: taskIdParams,
  body: retryBody,
  permission: TASK_CREATE,
  summary: 'Start over with the same values',
  response: { status: 201, description: '{id} of the new task', schema: { type: 'object', properties: { id: { type: 'string' } } } },
  responses: taskNotFound,
  handler: async ({ params, body, caller }, { store, catalog, permissions, registry, audit, worker }) => {
    const task = await taskOr404(store, params.taskId);
    const secrets = body.secrets ?? (await store.getSecrets(task.id));
    const template = await loadTemplate(catalog, task.templateRef ?? task.spec.templateInfo.entityRef).catch(() => undefined);
    // As for a first run: the policy may allow running only some templates.
    if (template) await permissions.assert(caller, { permission: TASK_CREATE, resourceRef: templateRefOf(template), resource: template });
    const spec = template
      ? buildTaskSpec(template, task.spec.parameters, { ref: caller.userEntityRef })
      : { ...task.spec, user: { ref: caller.userEntityRef } };
    checkSteps(spec, registry, secrets);
    const approval = template ? approvalOf(template) : undefined;
    const templateRef = task.templateRef ?? spec.templateInfo.entityRef;
    const id = await store.createTask({
      spec,
      templateRef,
      createdBy: caller.userEntityRef,
      secrets,
      retryOf: task.id,
      ...(approval ? { approval } : {}),
    });
    await store.appendEvent(id, 'log', { message: `Started over from task ${task.id}` });
    audit.record({ actor: caller, action: 'scaffolder.task.retry', target: id, meta: { retryOf: task.id, templateRef } });
    worker.wake();
    return { id };
  },
});
