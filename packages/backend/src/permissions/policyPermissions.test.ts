import { NotAllowedError, type AuditEvent, type Caller } from '@atrium/backend-plugin-api';
import { describe, expect, it } from 'vitest';
import { PolicyEvaluator } from './evaluator.js';
import { createPolicyPermissions } from './policyPermissions.js';
import { testCatalogue, user } from './testCatalogue.fixture.js';

const svc = { kind: 'Component', metadata: { name: 'svc' }, spec: { owner: 'team-a' } };
const evaluator = new PolicyEvaluator(
  {
    rules: [
      { effect: 'allow', permissions: ['catalog.entity.read'] },
      { effect: 'allow', permissions: ['catalog.entity.delete'], conditions: { isEntityOwner: true } },
    ],
  },
  testCatalogue,
);

function service(withPolicy = true) {
  const audits: AuditEvent[] = [];
  const lookups: string[] = [];
  const calls = { count: 0 };
  const permissions = createPolicyPermissions({
    evaluator: withPolicy ? evaluator : undefined,
    findEntities: async (refs) => {
      calls.count++;
      lookups.push(...refs);
      return refs.map((ref) => (ref === 'component:default/svc' ? svc : undefined));
    },
    audit: { record: (e) => void audits.push(e) },
  });
  return { permissions, audits, lookups, calls };
}

describe('the host permissions service', () => {
  it('looks the target up only when a conditional rule needs it, and decides on it', async () => {
    const { permissions, lookups } = service();
    await permissions.authorize(user('jdoe', ['team-a']), { permission: 'catalog.entity.read', resourceRef: 'component:default/svc' });
    expect(lookups).toEqual([]);
    const [mine, theirs] = await permissions.authorizeMany(user('jdoe', ['team-a']), [
      { permission: 'catalog.entity.delete', resourceRef: 'component:default/svc' },
      { permission: 'catalog.entity.delete', resource: { ...svc, spec: { owner: 'team-b' } } },
    ]);
    expect(lookups).toEqual(['component:default/svc']);
    expect(mine!.result).toBe('ALLOW');
    expect(theirs!.result).toBe('DENY');
  });

  it('a batch looks its targets up in one call, each ref once', async () => {
    const { permissions, lookups, calls } = service();
    const refs = ['component:default/svc', 'component:default/other', 'component:default/svc', 'not a ref'];
    const decisions = await permissions.authorizeMany(
      user('jdoe', ['team-a']),
      refs.map((resourceRef) => ({ permission: 'catalog.entity.delete', resourceRef })),
    );
    expect(decisions.map((d) => d.result)).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'ALLOW']);
    expect(decisions[0]!.conditional).toBeUndefined();
    expect(decisions[1]).toMatchObject({ conditional: true }); // not in the catalog: like no target (the route answers 404)
    expect(calls.count).toBe(1);
    expect(lookups).toEqual(['component:default/svc', 'component:default/other', 'not a ref']);
  });

  it('assert throws 403 and records permission.denied in the audit log', async () => {
    const { permissions, audits } = service();
    await expect(permissions.assert(user('bob'), { permission: 'catalog.entity.delete', resourceRef: 'component:default/svc' })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'permission.denied',
        outcome: 'denied',
        target: 'component:default/svc',
        meta: expect.objectContaining({ permission: 'catalog.entity.delete' }),
      }),
    ]);
  });

  it('token scopes limit first; plugin identities are always allowed; a service token is not a plugin', async () => {
    const { permissions } = service();
    const token: Caller = { ...user('jdoe'), scopes: ['catalog.entity.delete'] };
    expect((await permissions.authorize(token, { permission: 'catalog.entity.read' })).reason).toMatch(/scopes/);
    expect(await permissions.queryConditions(token, 'catalog.entity.read')).toEqual({ result: 'none' });
    const plugin: Caller = { type: 'service', userEntityRef: 'plugin:scorecards', ownershipEntityRefs: [], displayName: 'plugin scorecards' };
    expect((await permissions.authorize(plugin, { permission: 'system.info.read' })).result).toBe('ALLOW');
    expect(await permissions.queryConditions(plugin, 'catalog.entity.read')).toEqual({ result: 'all' });
    const serviceToken: Caller = { type: 'service', userEntityRef: 'group:default/team-a', ownershipEntityRefs: ['group:default/team-a'], displayName: 'ci' };
    expect((await permissions.authorize(serviceToken, { permission: 'system.info.read' })).result).toBe('DENY');
  });

  it('without a policy everything is allowed and lists are unfiltered', async () => {
    const { permissions } = service(false);
    expect((await permissions.authorize(user('bob'), { permission: 'catalog.entity.delete' })).result).toBe('ALLOW');
    expect(await permissions.queryConditions(user('bob'), 'catalog.entity.read')).toEqual({ result: 'all' });
  });
});
