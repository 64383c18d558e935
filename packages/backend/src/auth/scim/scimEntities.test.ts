import { describe, expect, it } from 'vitest';
import { entityNameFrom, scimEntities, uniqueEntityName } from './scimEntities.js';

describe('entityNameFrom', () => {
  it.each([
    ['Dana.Reyes@example.com', 'dana.reyes-example.com'],
    ['Lee_Okafor@contoso.example', 'lee_okafor-contoso.example'],
    ['  José Müller ', 'jose-muller'],
    ['Platform Team', 'platform-team'],
    ['a..b--c__d', 'a.b-c_d'],
    ['--x@@y..', 'x-y'],
    ['日本', 'fallback'],
    ['', 'fallback'],
  ])('%j → %j', (input, expected) => {
    expect(entityNameFrom(input, 'fallback')).toBe(expected);
  });

  it('cuts to 63 characters without leaving a separator at the end', () => {
    const name = entityNameFrom(`${'a'.repeat(62)}.b`, 'x');
    expect(name).toBe('a'.repeat(62));
    expect(entityNameFrom('b'.repeat(100), 'x')).toHaveLength(63);
  });
});

describe('uniqueEntityName', () => {
  it('adds -2, -3 … while the name is taken, still within 63 characters', async () => {
    const taken = new Set(['dana', 'dana-2']);
    expect(await uniqueEntityName('dana', async (n) => taken.has(n))).toBe('dana-3');
    const long = 'c'.repeat(63);
    expect(await uniqueEntityName(long, async (n) => n === long)).toBe(`${'c'.repeat(61)}-2`);
  });
});

describe('scimEntities', () => {
  const users = [
    {
      id: 'u1',
      userName: 'dana@example.com',
      entityName: 'dana-example.com',
      active: true,
      displayName: 'Dana',
      emails: [{ value: 'other@example.com' }, { value: 'dana@example.com', primary: true }],
    },
    { id: 'u2', userName: 'gone@example.com', entityName: 'gone-example.com', active: false, displayName: null, emails: [] },
  ];
  const groups = [
    {
      id: 'g1',
      displayName: 'Platform',
      entityName: 'platform',
      members: [
        { id: 'u1', type: 'User' as const },
        { id: 'u2', type: 'User' as const },
        { id: 'g2', type: 'Group' as const },
      ],
    },
    { id: 'g2', displayName: 'SRE', entityName: 'sre', members: [] },
  ];

  it('emits active users with their groups and primary email, and groups with their child groups; inactive users nowhere', () => {
    const out = scimEntities(users, groups).map((d) => d.entity);
    expect(out.map((e) => `${e.kind}:${e.metadata.name}`)).toEqual(['User:dana-example.com', 'Group:platform', 'Group:sre']);
    expect(out[0]).toMatchObject({
      metadata: { annotations: { 'atrium.io/scim-id': 'u1', 'backstage.io/managed-by-origin-location': 'scim:/api/auth/scim/v2' } },
      spec: { profile: { email: 'dana@example.com', displayName: 'Dana' }, memberOf: ['group:default/platform'] },
    });
    expect(out[1]).toMatchObject({ metadata: { title: 'Platform' }, spec: { type: 'team', children: ['group:default/sre'] } });
  });
});
