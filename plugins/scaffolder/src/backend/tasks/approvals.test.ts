import type { Caller } from '@atrium/backend-plugin-api';
import { describe, expect, it } from 'vitest';
import { assertMayDecide } from './approvals.js';

const caller = (ref: string, groups: string[] = []): Caller => ({ type: 'user', userEntityRef: ref, ownershipEntityRefs: [ref, ...groups], displayName: ref });
const task = (createdBy: string, approvers: string[], allowSelfApproval?: boolean) => ({
  createdBy,
  approval: { approvers, ...(allowSelfApproval ? { allowSelfApproval } : {}) },
});

describe('assertMayDecide', () => {
  it("lets a member of an approving group (as sign-in resolved it) approve someone else's task", () => {
    expect(() =>
      assertMayDecide(task('user:default/bob', ['group:default/platform']), caller('user:default/alice', ['group:default/platform']), 'approve'),
    ).not.toThrow();
    expect(() => assertMayDecide(task('user:default/bob', ['user:default/alice']), caller('user:default/alice'), 'approve')).not.toThrow();
  });

  it('refuses callers whose own identity is not an approver', () => {
    expect(() =>
      assertMayDecide(task('user:default/bob', ['group:default/platform']), caller('user:default/mallory', ['group:default/other']), 'approve'),
    ).toThrow(/not one of the approvers/);
  });

  it('refuses the requester approving their own task unless the template allows it', () => {
    const t = task('user:default/alice', ['group:default/platform']);
    expect(() => assertMayDecide(t, caller('user:default/alice', ['group:default/platform']), 'approve')).toThrow(/requested this task/);
    expect(() => assertMayDecide(t, caller('user:default/alice', ['group:default/platform']), 'reject')).not.toThrow();
    expect(() =>
      assertMayDecide(task('user:default/alice', ['group:default/platform'], true), caller('user:default/alice', ['group:default/platform']), 'approve'),
    ).not.toThrow();
  });
});
