import { describe, expect, it } from 'vitest';
import type { EntityLookup, UserEntity } from '../ownership.js';
import type { SignInProfile } from '../providers/types.js';
import { resolveSignIn } from './resolvers.js';

const TRUSTED = 'file:/org/users.yaml';
const user = (name: string, extra: { email?: string; annotations?: Record<string, string>; origin?: string } = {}): UserEntity => ({
  metadata: { name, namespace: 'default', annotations: { 'backstage.io/managed-by-origin-location': extra.origin ?? TRUSTED, ...extra.annotations } },
  spec: { profile: extra.email ? { email: extra.email } : {} },
});

/** A catalog of a few Users answering the two lookups sign-in uses, as the catalog does (case-insensitive values). */
function catalogOf(users: UserEntity[]): EntityLookup {
  const get = (path: string, u: UserEntity): string | undefined => {
    if (path === 'spec.profile.email') return u.spec?.profile?.email;
    if (path.startsWith('metadata.annotations.')) return u.metadata.annotations?.[path.slice('metadata.annotations.'.length)];
    return undefined;
  };
  return {
    getEntitiesByRefs: async (refs) => refs.map((ref) => users.find((u) => `user:default/${u.metadata.name}` === ref)),
    getEntities: async ({ filter }) => ({
      items: users.filter((u) => Object.entries(filter).every(([k, v]) => k === 'kind' || get(k, u)?.toLowerCase() === v.toLowerCase())),
    }),
  };
}

const ctx = (users: UserEntity[]) => ({ catalog: catalogOf(users), trustedOrigins: new Set([TRUSTED]) });
const profile = (p: Partial<SignInProfile>): SignInProfile => ({ subject: 's-1', claims: {}, ...p });

describe('sign-in resolvers', () => {
  it('match by profile email (case-insensitively), only trusted Users, first resolver wins', async () => {
    const users = [user('jdoe', { email: 'Jane.Doe@example.com' }), user('impostor', { email: 'ceo@example.com', origin: 'file:/tmp/registered.yaml' })];
    await expect(
      resolveSignIn(profile({ email: 'jane.doe@EXAMPLE.com' }), [{ resolver: 'emailMatchingUserEntityProfileEmail' }], ctx(users)),
    ).resolves.toMatchObject({ userEntityRef: 'user:default/jdoe' });
    await expect(resolveSignIn(profile({ email: 'ceo@example.com' }), [{ resolver: 'emailMatchingUserEntityProfileEmail' }], ctx(users))).rejects.toThrow(
      /No catalog User matches ceo@example\.com/,
    );
  });

  it('refuse an email the provider says is not verified', async () => {
    const users = [user('jdoe', { email: 'jdoe@example.com' })];
    await expect(
      resolveSignIn(profile({ email: 'jdoe@example.com', emailVerified: false }), [{ resolver: 'emailMatchingUserEntityProfileEmail' }], ctx(users)),
    ).rejects.toThrow(/No catalog User/);
  });

  it('refuse an email two trusted Users share', async () => {
    const users = [user('a', { email: 'x@example.com' }), user('b', { email: 'x@example.com' })];
    await expect(resolveSignIn(profile({ email: 'x@example.com' }), [{ resolver: 'emailMatchingUserEntityProfileEmail' }], ctx(users))).rejects.toThrow(
      /More than one catalog User.*user:default\/a, user:default\/b/,
    );
  });

  it('match by email local part (with allowed domains), by username, and by annotation', async () => {
    const users = [
      user('jdoe'),
      user('octo', { annotations: { 'github.com/user-login': 'OctoCat' } }),
      user('ms', { annotations: { 'microsoft.com/email': 'ms@corp.example' } }),
    ];
    const c = ctx(users);
    await expect(
      resolveSignIn(profile({ email: 'jdoe@corp.example' }), [{ resolver: 'emailLocalPartMatchingUserEntityName', allowedDomains: ['corp.example'] }], c),
    ).resolves.toMatchObject({ userEntityRef: 'user:default/jdoe' });
    await expect(
      resolveSignIn(profile({ email: 'jdoe@other.example' }), [{ resolver: 'emailLocalPartMatchingUserEntityName', allowedDomains: ['corp.example'] }], c),
    ).rejects.toThrow(/No catalog User/);
    await expect(resolveSignIn(profile({ username: 'jdoe' }), [{ resolver: 'preferredUsernameMatchingUserEntityName' }], c)).resolves.toMatchObject({
      userEntityRef: 'user:default/jdoe',
    });
    await expect(resolveSignIn(profile({ username: 'octocat' }), [{ resolver: 'usernameMatchingUserEntityAnnotation' }], c)).resolves.toMatchObject({
      userEntityRef: 'user:default/octo',
    });
    await expect(resolveSignIn(profile({ email: 'ms@corp.example' }), [{ resolver: 'emailMatchingUserEntityAnnotation' }], c)).resolves.toMatchObject({
      userEntityRef: 'user:default/ms',
    });
  });

  it('match a SAML NameID to the User of that name (nameIdMatchingUserEntityName), never another provider’s subject', async () => {
    const c = ctx([user('jdoe'), user('s-1')]);
    const byNameId = [{ resolver: 'nameIdMatchingUserEntityName' }];
    await expect(resolveSignIn(profile({ subject: 'JDoe', nameId: 'JDoe' }), byNameId, c)).resolves.toMatchObject({
      userEntityRef: 'user:default/jdoe',
      via: 'nameIdMatchingUserEntityName',
    });
    // An email-format NameID is no entity name: no match (and no fallback name).
    await expect(resolveSignIn(profile({ nameId: 'jdoe@example.com' }), byNameId, c)).rejects.toThrow(/No catalog User/);
    await expect(
      resolveSignIn(profile({ nameId: 'jdoe@example.com' }), [{ ...byNameId[0]!, dangerouslyAllowSignInWithoutUserInCatalog: true }], c),
    ).rejects.toThrow(/No catalog User/);
    // An OIDC or GitHub profile has a subject but no NameID: never matched by it.
    await expect(resolveSignIn(profile({ subject: 's-1' }), byNameId, c)).rejects.toThrow(/No catalog User/);
    await expect(
      resolveSignIn(profile({ nameId: 'newcomer' }), [{ ...byNameId[0]!, dangerouslyAllowSignInWithoutUserInCatalog: true }], ctx([])),
    ).resolves.toEqual({
      userEntityRef: 'user:default/newcomer',
      via: 'dangerouslyAllowSignInWithoutUserInCatalog',
      inCatalog: false,
    });
  });

  it('without a match, dangerouslyAllowSignInWithoutUserInCatalog signs in as user:default/<name>', async () => {
    const resolved = await resolveSignIn(
      profile({ email: 'new.person@example.com' }),
      [{ resolver: 'emailMatchingUserEntityProfileEmail', dangerouslyAllowSignInWithoutUserInCatalog: true }],
      ctx([]),
    );
    expect(resolved).toEqual({ userEntityRef: 'user:default/new.person', via: 'dangerouslyAllowSignInWithoutUserInCatalog', inCatalog: false });
  });
});
