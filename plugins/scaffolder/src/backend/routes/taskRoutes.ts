import { InputError, NotFoundError, validateInput, type AuditService, type AuthService, type PermissionsService } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import type { Request, Router } from 'express';
import type { JsonObject, SerializedTaskEvent, TaskStatus } from '../../common/index.js';
import { FINAL_TASK_STATUSES } from '../../common/index.js';
import type { ActionRegistry } from '../actions/registry.js';
import type { TaskStore } from '../tasks/taskStore.js';
import type { TaskWorker } from '../tasks/taskWorker.js';
import { assertMayDecide } from '../tasks/approvals.js';
import { approvalOf, buildTaskSpec, loadTemplate, templateRefOf } from '../templates.js';
import { checkSteps, checkedTaskSpec } from './taskSpecs.js';

export interface TaskRouteDeps {
  store: TaskStore;
  registry: ActionRegistry;
  catalog: CatalogService;
  worker: TaskWorker;
  auth: AuthService;
  permissions: PermissionsService;
  audit: AuditService;
}

const createTaskBody = {
  type: 'object',
  required: ['templateRef'],
  additionalProperties: false,
  properties: {
    templateRef: { type: 'string', minLength: 1 },
    values: { type: 'object', default: {} },
    secrets: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const listTasksQuery = {
  type: 'object',
  properties: {
    createdBy: { type: 'string' },
    owned: { type: 'boolean' },
    status: { type: 'array', items: { enum: ['open', 'awaiting-approval', 'processing', 'completed', 'failed', 'cancelled'] } },
    order: { type: 'array', items: { type: 'string', pattern: '^(asc|desc):(created_at|status|created_by)$' } },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
};

const approvalBody = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: { decision: { enum: ['approve', 'reject'] }, comment: { type: 'string', maxLength: 2000 } },
};

export function registerTaskRoutes(router: Router, deps: TaskRouteDeps): void {
  const { store, registry, catalog, worker, auth, permissions, audit } = deps;

  const taskOr404 = async (id: string) => {
    const task = await store.getTask(id);
    if (!task) throw new NotFoundError(`Task ${id} not found`);
    return task;
  };

  router.post('/v2/tasks', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.task.create' });
    const body = validateInput<{ templateRef: string; values: JsonObject; secrets?: Record<string, string> }>(createTaskBody, req.body ?? {}, 'body');
    const template = await loadTemplate(catalog, body.templateRef);
    // Again with the template: a policy may allow running only some templates (by tag, owner, type…).
    await permissions.assert(caller, { permission: 'scaffolder.task.create', resourceRef: templateRefOf(template), resource: template });
    const spec = checkedTaskSpec(template, body.values, body.secrets ?? {}, registry, caller.userEntityRef);
    const approval = approvalOf(template);
    const id = await store.createTask({
      spec,
      templateRef: templateRefOf(template),
      createdBy: caller.userEntityRef,
      ...(body.secrets ? { secrets: body.secrets } : {}),
      ...(approval ? { approval } : {}),
    });
    await store.appendEvent(id, 'log', { message: approval ? `Waiting for approval by ${approval.approvers.join(', ')}` : 'Task queued' });
    audit.record({ actor: caller, action: 'scaffolder.task.create', target: id, meta: { templateRef: templateRefOf(template) } });
    worker.wake();
    res.status(201).json({ id });
  });

  router.get('/v2/tasks', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.task.read' });
    const raw = { ...req.query } as Record<string, unknown>;
    for (const k of ['status', 'order']) if (typeof raw[k] === 'string') raw[k] = String(raw[k]).split(',');
    const q = validateInput<{ createdBy?: string; owned?: boolean; status?: TaskStatus[]; order?: string[]; limit: number; offset: number }>(listTasksQuery, raw, 'query');
    const createdBy = q.owned ? caller.userEntityRef : q.createdBy;
    const result = await store.listTasks({
      ...(createdBy ? { createdBy } : {}),
      ...(q.status ? { status: q.status } : {}),
      limit: q.limit,
      offset: q.offset,
      order: (q.order ?? []).map((o) => {
        const [dir, field] = o.split(':') as ['asc' | 'desc', string];
        return { field, dir };
      }),
    });
    res.json(result);
  });

  router.get('/v2/tasks/:taskId', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.task.read' });
    res.json(await taskOr404(req.params.taskId!));
  });

  router.post('/v2/tasks/:taskId/cancel', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.task.cancel' });
    const task = await taskOr404(req.params.taskId!);
    if (FINAL_TASK_STATUSES.includes(task.status)) {
      res.json({ status: task.status });
      return;
    }
    const status = await store.requestCancel(task.id);
    audit.record({ actor: caller, action: 'scaffolder.task.cancel', target: task.id });
    res.json({ status: status === 'processing' ? 'cancelled' : status });
  });

  /** "Start over": a new task from the same template spec and values (secrets too while still stored). */
  router.post('/v2/tasks/:taskId/retry', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.task.create' });
    const task = await taskOr404(req.params.taskId!);
    const body = (req.body ?? {}) as { secrets?: Record<string, string> };
    const secrets = body.secrets ?? (await store.getSecrets(task.id));
    const template = await loadTemplate(catalog, task.templateRef ?? task.spec.templateInfo.entityRef).catch(() => undefined);
    const spec = template ? buildTaskSpec(template, task.spec.parameters, { ref: caller.userEntityRef }) : { ...task.spec, user: { ref: caller.userEntityRef } };
    checkSteps(spec, registry, secrets);
    const approval = template ? approvalOf(template) : undefined;
    const id = await store.createTask({
      spec,
      templateRef: task.templateRef ?? spec.templateInfo.entityRef,
      createdBy: caller.userEntityRef,
      secrets,
      retryOf: task.id,
      ...(approval ? { approval } : {}),
    });
    await store.appendEvent(id, 'log', { message: `Started over from task ${task.id}` });
    worker.wake();
    res.status(201).json({ id });
  });

  router.post('/v2/tasks/:taskId/approval', async (req, res) => {
    const caller = await auth.getCaller(req);
    const body = validateInput<{ decision: 'approve' | 'reject'; comment?: string }>(approvalBody, req.body ?? {}, 'body');
    const task = await taskOr404(req.params.taskId!);
    if (task.status !== 'awaiting-approval' || !task.approval) throw new InputError(`Task ${task.id} is not awaiting approval (status ${task.status})`);
    assertMayDecide({ ...(task.createdBy ? { createdBy: task.createdBy } : {}), approval: task.approval }, caller, body.decision);
    const decided = await store.decideApproval(task.id, {
      ...task.approval,
      decision: body.decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: caller.userEntityRef,
      decidedAt: new Date().toISOString(),
      ...(body.comment ? { comment: body.comment } : {}),
    });
    if (!decided) throw new InputError(`Task ${task.id} was decided meanwhile`);
    audit.record({ actor: caller, action: `scaffolder.task.${body.decision}`, target: task.id });
    worker.wake();
    res.json(await taskOr404(task.id));
  });

  router.get('/v2/tasks/:taskId/events', async (req, res) => {
    await taskOr404(req.params.taskId!);
    const after = parseAfter(req);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const events = await store.listEvents(req.params.taskId!, after);
      if (events.length || Date.now() > deadline) {
        res.json(events);
        return;
      }
      await sleep(500);
    }
  });

  router.get('/v2/tasks/:taskId/eventstream', async (req, res) => {
    const caller = await auth.getCaller(req);
    await permissions.assert(caller, { permission: 'scaffolder.task.read' });
    const task = await taskOr404(req.params.taskId!);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let after = parseAfter(req);
    let closed = false;
    req.on('close', () => (closed = true));
    const send = (e: SerializedTaskEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    // Events are read from the database, so a stream on any replica sees every replica's work.
    let idle = 0;
    while (!closed) {
      const events = await store.listEvents(task.id, after);
      for (const e of events) {
        send(e);
        after = e.id;
        if (e.type === 'completion' || e.type === 'cancelled') closed = true;
      }
      if (closed) break;
      if (!events.length && ++idle % 40 === 0) res.write(': keep-alive\n\n');
      await sleep(events.length ? 50 : 250);
    }
    res.end();
  });
}

function parseAfter(req: Request): number | undefined {
  const raw = req.query['after'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new InputError('Invalid request query: query.after must be a non-negative integer');
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
