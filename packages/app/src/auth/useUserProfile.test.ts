import { describe, expect, it } from 'vitest';
import { initialsOf, profileFrom } from './useUserProfile';

describe('initialsOf', () => {
  it('takes the first and last word', () => {
    expect(initialsOf('Amara Okafor')).toBe('AO');
    expect(initialsOf('Ana María de la Cruz')).toBe('AC');
    expect(initialsOf('li.wei')).toBe('LW');
    expect(initialsOf('guest')).toBe('G');
    expect(initialsOf('  ')).toBe('?');
  });
});

describe('profileFrom', () => {
  it('prefers the catalog profile', () => {
    expect(
      profileFrom('user:default/amara', { metadata: { name: 'amara' }, spec: { profile: { displayName: 'Amara Okafor', email: 'a@x.example' } } }),
    ).toEqual({
      displayName: 'Amara Okafor',
      email: 'a@x.example',
      inCatalog: true,
    });
  });

  it('falls back to the ref without an entity', () => {
    expect(profileFrom('user:default/li.wei', null)).toEqual({ displayName: 'li.wei', inCatalog: false });
  });
});
