import { NotAllowedError, type Caller } from '@atrium/backend-plugin-api';
import type { ApprovalState } from '../../common/index.js';

/**
 * Who may decide a task waiting for approval.
 *
 * - The caller's identity comes from the auth service only: its user ref and the ownership refs
 *   sign-in resolved (`caller.ownershipEntityRefs`). Catalog content is never consulted, because
 *   anyone who can register a location can add a `User` entity claiming membership of the
 *   approving group.
 * - The task's requester may not approve their own task unless the template says so
 *   (`spec.approval.allowSelfApproval: true`). A requester who is an approver may still reject it.
 *
 * Throws NotAllowedError (403) naming the reason.
 */
export function assertMayDecide(task: { createdBy?: string; approval: ApprovalState }, caller: Caller, decision: 'approve' | 'reject'): void {
  const mine = new Set([caller.userEntityRef, ...caller.ownershipEntityRefs]);
  if (!task.approval.approvers.some((a) => mine.has(a))) {
    throw new NotAllowedError(`${caller.userEntityRef} is not one of the approvers (${task.approval.approvers.join(', ')})`);
  }
  if (decision === 'approve' && task.createdBy === caller.userEntityRef && !task.approval.allowSelfApproval) {
    throw new NotAllowedError(
      `${caller.userEntityRef} requested this task and cannot approve it; another approver must (the template would have to set spec.approval.allowSelfApproval: true)`,
    );
  }
}
