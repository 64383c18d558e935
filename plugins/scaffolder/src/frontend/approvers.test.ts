import { describe, expect, it } from 'vitest';
import { isApprover } from './approvers';

describe('isApprover', () => {
  const mine = ['user:default/ada', 'group:default/payments-team', 'group:default/acme'];
  it('matches a group named with or without kind and namespace, case-insensitively', () => {
    expect(isApprover(mine, ['payments-team'])).toBe(true);
    expect(isApprover(mine, ['group:Payments-Team'])).toBe(true);
    expect(isApprover(mine, ['group:default/acme'])).toBe(true);
    expect(isApprover(mine, ['user:default/ada'])).toBe(true);
  });
  it('does not match other groups or namespaces', () => {
    expect(isApprover(mine, ['group:default/platform', 'group:other/payments-team'])).toBe(false);
    expect(isApprover(mine, [])).toBe(false);
  });
});
