import { describe, expect, it } from 'vitest';
import { NotAllowedError } from '../errors.js';
import type { Caller } from '../services.js';
import { createAllowAllPermissions, createPermissions, scopesAllow } from './permissions.js';

const user: Caller = { type: 'user', userEntityRef: 'user:default/jdoe', ownershipEntityRefs: ['user:default/jdoe'], displayName: 'jdoe' };

describe('token scopes in the permissions path', () => {
  it('read covers every *.read permission; a named scope covers that permission only', () => {
    expect(scopesAllow(['read'], 'catalog.entity.read')).toBe(true);
    expect(scopesAllow(['read'], 'catalog.entity.delete')).toBe(false);
    expect(scopesAllow(['catalog.entity.delete'], 'catalog.entity.delete')).toBe(true);
    expect(scopesAllow(['catalog.entity.delete'], 'catalog.entity.read')).toBe(false);
    expect(scopesAllow([], 'catalog.entity.read')).toBe(false);
  });

  it('the allow-all default denies what a token caller has no scope for, and allows callers without scopes', async () => {
    const permissions = createAllowAllPermissions();
    expect(await permissions.authorize(user, { permission: 'catalog.entity.delete' })).toEqual({ result: 'ALLOW' });
    const token: Caller = { ...user, scopes: ['read'] };
    expect(await permissions.authorize(token, { permission: 'catalog.entity.read' })).toEqual({ result: 'ALLOW' });
    const denied = await permissions.authorize(token, { permission: 'catalog.entity.delete' });
    expect(denied.result).toBe('DENY');
    expect(denied.reason).toContain('catalog.entity.delete');
    await expect(permissions.assert(token, { permission: 'catalog.entity.delete' })).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('a custom policy is not asked about permissions outside the scopes', async () => {
    const asked: string[] = [];
    const permissions = createPermissions((_c, r) => {
      asked.push(r.permission);
      return { result: 'ALLOW' };
    });
    await permissions.authorize({ ...user, scopes: ['read'] }, { permission: 'x.y.create' });
    expect(asked).toEqual([]);
  });
});

describe('batch checks and list conditions from a policy function', () => {
  it('authorizeMany answers in order; queryConditions is all or none', async () => {
    const permissions = createPermissions((_c, r) => (r.permission.endsWith('.read') ? { result: 'ALLOW' } : { result: 'DENY' }));
    const decisions = await permissions.authorizeMany(user, [{ permission: 'a.b.read' }, { permission: 'a.b.delete' }]);
    expect(decisions.map((d) => d.result)).toEqual(['ALLOW', 'DENY']);
    expect(await permissions.queryConditions(user, 'a.b.read')).toEqual({ result: 'all' });
    expect(await permissions.queryConditions(user, 'a.b.delete')).toEqual({ result: 'none' });
  });
});
