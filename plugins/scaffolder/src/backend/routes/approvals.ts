import { defineRoute, InputError, type JsonSchema } from '@atrium/backend-plugin-api';
import { assertMayDecide } from '../tasks/approvals.js';
import { taskIdParams, taskNotFound, taskOr404, type ScaffolderRouteServices, type TaskIdParams } from './services.js';

interface ApprovalBody {
  decision: 'approve' | 'reject';
  comment?: string;
}

const approvalBody: JsonSchema = {
  type: 'object',
  required: ['decision'],
  additionalProperties: false,
  properties: { decision: { enum: ['approve', 'reject'] }, comment: { type: 'string', maxLength: 2000 } },
};

/**
 * POST /v2/tasks/:taskId/approval: approve or reject a task awaiting approval. The permission
 * lets a policy take deciding away from someone; who may decide a given task is still the
 * template's approvers (assertMayDecide), from the caller's sign-in identity only.
 */
export const decideApproval = defineRoute<ScaffolderRouteServices, TaskIdParams, Record<string, unknown>, ApprovalBody>({
  method: 'post',
  path: '/v2/tasks/:taskId/approval',
  params: taskIdParams,
  body: approvalBody,
  permission: 'scaffolder.task.approve',
  summary: 'Approve or reject a task awaiting approval',
  response: { description: 'The task after the decision', schema: { type: 'object' } },
  responses: taskNotFound,
  handler: async ({ params, body, caller }, { store, audit, worker }) => {
    const task = await taskOr404(store, params.taskId);
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
    return taskOr404(store, task.id);
  },
});
