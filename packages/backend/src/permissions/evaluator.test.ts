import { describe, expect, it } from 'vitest';
import type { PolicyEntity } from './entityConditions.js';
import { PolicyEvaluator } from './evaluator.js';
import type { PermissionPolicy } from './policyTypes.js';
import { guest, testCatalogue, user } from './testCatalogue.fixture.js';

const service: PolicyEntity = {
  kind: 'Component',
  metadata: { name: 'payments', namespace: 'default', labels: { tier: 'Gold' }, annotations: { 'atrium.dev/pci': 'true' }, tags: ['java', 'pci'] },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
};

const policy: PermissionPolicy = {
  roles: { admin: { members: ['group:default/platform', 'user:default/root'] } },
  rules: [
    { effect: 'allow', permissions: ['catalog.entity.read', 'system.info.read'] },
    { id: 'owners', effect: 'allow', permissions: ['catalog.entity.delete'], conditions: { isEntityOwner: true } },
    { effect: 'allow', permissions: ['*'], roles: ['admin'] },
    { id: 'no-prod-delete', effect: 'deny', permissions: ['catalog.entity.delete'], conditions: { lifecycle: 'production', hasTag: 'pci' } },
    { effect: 'allow', permissions: ['catalog.entity.read'], subjects: ['guest'], conditions: { kind: ['component', 'api'] } },
  ],
};
const evaluator = new PolicyEvaluator(policy, testCatalogue);

describe('PolicyEvaluator.decide', () => {
  it('allows a signed-in user what a rule for everyone allows, and names the rule', () => {
    const d = evaluator.decide(user('jdoe'), 'system.info.read', undefined);
    expect(d).toMatchObject({ result: 'ALLOW', ruleIndex: 0 });
    expect(d.reason).toContain('rule 1 (allow catalog.entity.read, system.info.read)');
  });

  it('denies what no rule allows (a configured policy is closed)', () => {
    const d = evaluator.decide(user('jdoe'), 'catalog.location.create', undefined);
    expect(d.result).toBe('DENY');
    expect(d.ruleIndex).toBeUndefined();
    expect(d.reason).toMatch(/no rule .* allows catalog.location.create/);
  });

  it('grants a role through group ownership refs (the caller is a member of a member group)', () => {
    expect(evaluator.decide(user('alice', ['platform']), 'catalog.location.create', undefined)).toMatchObject({ result: 'ALLOW', ruleIndex: 2 });
    expect(evaluator.decide(user('root'), 'catalog.location.create', undefined).result).toBe('ALLOW');
    expect(evaluator.decide(user('bob', ['team-a']), 'catalog.location.create', undefined).result).toBe('DENY');
    expect([...evaluator.callerRoles(user('alice', ['platform']))]).toEqual(['admin']);
  });

  it('isEntityOwner: the owning group may delete, another user may not', () => {
    const other = { ...service, spec: { ...service.spec, lifecycle: 'experimental' } };
    expect(evaluator.decide(user('jdoe', ['team-a']), 'catalog.entity.delete', other)).toMatchObject({ result: 'ALLOW', ruleId: 'owners' });
    expect(evaluator.decide(user('bob', ['team-b']), 'catalog.entity.delete', other).result).toBe('DENY');
    // spec.owner alone (no relations yet) counts too, in the entity's namespace.
    const bare = { ...other, relations: [] };
    expect(evaluator.decide(user('jdoe', ['team-a']), 'catalog.entity.delete', bare).result).toBe('ALLOW');
  });

  it('deny wins over allow, even over an admin role listed earlier', () => {
    const d = evaluator.decide(user('alice', ['platform', 'team-a']), 'catalog.entity.delete', service);
    expect(d).toMatchObject({ result: 'DENY', ruleIndex: 3, ruleId: 'no-prod-delete' });
    expect(d.reason).toContain('denied by rule 4 "no-prod-delete" (deny catalog.entity.delete when lifecycle = production and hasTag = pci)');
  });

  it('without the target, a conditional allow is a conditional ALLOW and a conditional deny does not apply', () => {
    expect(evaluator.decide(user('jdoe'), 'catalog.entity.delete', undefined)).toMatchObject({ result: 'ALLOW', conditional: true, ruleId: 'owners' });
  });

  it('the guest gets only rules that name it; conditions match case-insensitively', () => {
    expect(evaluator.decide(guest, 'system.info.read', undefined).result).toBe('DENY');
    expect(evaluator.decide(guest, 'catalog.entity.read', service)).toMatchObject({ result: 'ALLOW', ruleIndex: 4 });
    expect(evaluator.decide(guest, 'catalog.entity.read', { ...service, kind: 'Group' }).result).toBe('DENY');
  });

  it('wildcards: plugin prefixes and *; rules with conditions skip permissions that target no entity', () => {
    const e = new PolicyEvaluator(
      {
        rules: [
          { effect: 'allow', permissions: ['catalog.*'], conditions: { isEntityOwner: true } },
          { effect: 'allow', permissions: ['system.*'] },
        ],
      },
      testCatalogue,
    );
    expect(e.rulesFor('catalog.location.create')).toHaveLength(0);
    expect(e.rulesFor('catalog.entity.delete')).toHaveLength(1);
    expect(e.decide(user('x'), 'system.info.read', undefined).result).toBe('ALLOW');
    expect(e.decide(user('x'), 'catalog.location.create', undefined).result).toBe('DENY');
  });

  it('label and annotation conditions take a key or key=value', () => {
    const e = new PolicyEvaluator(
      {
        rules: [
          { effect: 'allow', permissions: ['catalog.entity.read'], conditions: { hasLabel: 'tier=gold' } },
          { effect: 'allow', permissions: ['catalog.entity.delete'], conditions: { hasAnnotation: 'atrium.dev/pci', namespace: 'default', type: 'service' } },
        ],
      },
      testCatalogue,
    );
    expect(e.decide(user('x'), 'catalog.entity.read', service).result).toBe('ALLOW');
    expect(e.decide(user('x'), 'catalog.entity.read', { ...service, metadata: { ...service.metadata, labels: { tier: 'silver' } } }).result).toBe('DENY');
    expect(e.decide(user('x'), 'catalog.entity.delete', service).result).toBe('ALLOW');
    expect(e.decide(user('x'), 'catalog.entity.delete', { ...service, metadata: { ...service.metadata, namespace: 'ops' } }).result).toBe('DENY');
  });

  it('describes "deny … unless isEntityOwner"', () => {
    const e = new PolicyEvaluator({ rules: [{ effect: 'deny', permissions: ['catalog.entity.delete'], conditions: { isEntityOwner: false } }] }, testCatalogue);
    expect(e.ruleText(0)).toBe('rule 1 (deny catalog.entity.delete unless isEntityOwner)');
  });
});
