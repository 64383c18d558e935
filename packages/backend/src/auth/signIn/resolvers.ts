import type { JsonSchema } from '@atrium/backend-plugin-api';
import { isTrustedEntity, type EntityLookup, type UserEntity } from '../ownership.js';
import type { SignInProfile } from '../providers/types.js';

/** One entry of `auth.providers.<id>.<env>.signIn.resolvers`. */
export interface ResolverConfig {
  resolver: string;
  /** Sign in with `user:default/<name>` (owning only itself) when no catalog User matches. */
  dangerouslyAllowSignInWithoutUserInCatalog?: boolean;
  /** emailLocalPartMatchingUserEntityName: only emails of these domains. */
  allowedDomains?: string[];
  /** The annotation the *Annotation resolvers compare with. */
  annotation?: string;
}

export const resolverConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    resolvers: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          resolver: { type: 'string', minLength: 1 },
          dangerouslyAllowSignInWithoutUserInCatalog: { type: 'boolean' },
          allowedDomains: { type: 'array', items: { type: 'string', minLength: 1 } },
          annotation: { type: 'string', minLength: 1 },
        },
        required: ['resolver'],
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

/** What a sign-in resolves to: the catalog user the session is for. */
export interface ResolvedUser {
  userEntityRef: string;
  /** The resolver that matched, or `dangerouslyAllowSignInWithoutUserInCatalog`. */
  via: string;
  /** False when signed in without a catalog User. */
  inCatalog: boolean;
}

/** A sign-in that matched no catalog User (or matched ambiguously): 401 with this message. */
export class SignInRefusedError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'SignInRefusedError';
  }
}

interface ResolverContext {
  catalog: EntityLookup | undefined;
  trustedOrigins: ReadonlySet<string>;
}

interface Resolver {
  /** A match's user ref, or undefined. */
  match(profile: SignInProfile, options: ResolverConfig, ctx: ResolverContext): Promise<string | undefined>;
  /** The name used for `user:default/<name>` when signing in without a catalog User. */
  fallbackName(profile: SignInProfile, options: ResolverConfig): string | undefined;
}

const ENTITY_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$/;

function refOf(user: UserEntity): string {
  return `user:${(user.metadata.namespace ?? 'default').toLowerCase()}/${user.metadata.name.toLowerCase()}`;
}

/** An email the provider does not deny having verified (OIDC `email_verified: false` is refused). */
function usableEmail(profile: SignInProfile): string | undefined {
  if (!profile.email || profile.emailVerified === false) return undefined;
  return profile.email.trim().toLowerCase();
}

function localPart(email: string | undefined, allowedDomains?: string[]): string | undefined {
  if (!email) return undefined;
  const at = email.lastIndexOf('@');
  if (at <= 0) return undefined;
  const domain = email.slice(at + 1).toLowerCase();
  if (allowedDomains && !allowedDomains.some((d) => d.toLowerCase() === domain)) return undefined;
  const name = email.slice(0, at);
  return ENTITY_NAME.test(name) ? name.toLowerCase() : undefined;
}

/** Users matching a filter; only those from trusted origins count, and exactly one must. */
async function uniqueTrustedUser(filter: Record<string, string>, what: string, ctx: ResolverContext): Promise<string | undefined> {
  if (!ctx.catalog?.getEntities) return undefined;
  const { items } = await ctx.catalog.getEntities({ filter: { kind: 'user', ...filter } });
  const trusted = (items as UserEntity[]).filter((u) => isTrustedEntity(u, ctx.trustedOrigins));
  if (trusted.length > 1) {
    throw new SignInRefusedError(
      `More than one catalog User has ${what} (${trusted.map(refOf).join(', ')}); an administrator must fix the catalog.`,
      'ambiguous',
    );
  }
  return trusted[0] ? refOf(trusted[0]) : undefined;
}

/** A User by name in the default namespace (it must exist; its origin decides its groups, see ownership.ts). */
async function userByName(name: string | undefined, ctx: ResolverContext): Promise<string | undefined> {
  if (!name || !ENTITY_NAME.test(name) || !ctx.catalog) return undefined;
  const ref = `user:default/${name.toLowerCase()}`;
  const [user] = await ctx.catalog.getEntitiesByRefs([ref]);
  return user ? ref : undefined;
}

/** Backstage's resolver names (SAML's `nameIdMatchingUserEntityName` included), and two annotation ones. */
export const signInResolvers: Record<string, Resolver> = {
  emailMatchingUserEntityProfileEmail: {
    async match(profile, _o, ctx) {
      const email = usableEmail(profile);
      return email ? uniqueTrustedUser({ 'spec.profile.email': email }, `the email ${email}`, ctx) : undefined;
    },
    fallbackName: (profile) => localPart(usableEmail(profile)),
  },
  emailLocalPartMatchingUserEntityName: {
    match: (profile, o, ctx) => userByName(localPart(usableEmail(profile), o.allowedDomains), ctx),
    fallbackName: (profile, o) => localPart(usableEmail(profile), o.allowedDomains),
  },
  preferredUsernameMatchingUserEntityName: {
    match: (profile, _o, ctx) => userByName(profile.username, ctx),
    fallbackName: (profile) => (profile.username && ENTITY_NAME.test(profile.username) ? profile.username.toLowerCase() : undefined),
  },
  usernameMatchingUserEntityName: {
    match: (profile, _o, ctx) => userByName(profile.username, ctx),
    fallbackName: (profile) => (profile.username && ENTITY_NAME.test(profile.username) ? profile.username.toLowerCase() : undefined),
  },
  // SAML: the User named like the assertion's NameID (any format; one that is no entity name, an email say, matches none).
  nameIdMatchingUserEntityName: {
    match: (profile, _o, ctx) => userByName(profile.nameId, ctx),
    fallbackName: (profile) => (profile.nameId && ENTITY_NAME.test(profile.nameId) ? profile.nameId.toLowerCase() : undefined),
  },
  emailMatchingUserEntityAnnotation: {
    async match(profile, o, ctx) {
      const email = usableEmail(profile);
      const annotation = o.annotation ?? 'microsoft.com/email';
      return email ? uniqueTrustedUser({ [`metadata.annotations.${annotation}`]: email }, `the annotation ${annotation}: ${email}`, ctx) : undefined;
    },
    fallbackName: (profile) => localPart(usableEmail(profile)),
  },
  usernameMatchingUserEntityAnnotation: {
    async match(profile, o, ctx) {
      const annotation = o.annotation ?? 'github.com/user-login';
      return profile.username
        ? uniqueTrustedUser({ [`metadata.annotations.${annotation}`]: profile.username }, `the annotation ${annotation}: ${profile.username}`, ctx)
        : undefined;
    },
    fallbackName: (profile) => (profile.username && ENTITY_NAME.test(profile.username) ? profile.username.toLowerCase() : undefined),
  },
};

/** The resolvers a provider uses when its config names none. */
export const DEFAULT_RESOLVERS: ResolverConfig[] = [{ resolver: 'emailMatchingUserEntityProfileEmail' }];

/** Unknown resolver names in a provider's config (a start error). */
export function unknownResolvers(resolvers: ResolverConfig[]): string[] {
  return resolvers.map((r) => r.resolver).filter((name) => !(name in signInResolvers));
}

/**
 * Maps a signed-in identity to a catalog User: the configured resolvers in order, first match
 * wins. No match: refused, unless an entry allows signing in without a catalog User, then
 * `user:default/<name>` from the first such entry that can derive a name.
 */
export async function resolveSignIn(profile: SignInProfile, resolvers: ResolverConfig[], ctx: ResolverContext): Promise<ResolvedUser> {
  if (!ctx.catalog)
    throw new SignInRefusedError('The catalog is not running, so no sign-in can be matched to a User; try again shortly.', 'catalog-unavailable');
  for (const options of resolvers) {
    const ref = await signInResolvers[options.resolver]?.match(profile, options, ctx);
    if (ref) return { userEntityRef: ref, via: options.resolver, inCatalog: true };
  }
  for (const options of resolvers) {
    if (!options.dangerouslyAllowSignInWithoutUserInCatalog) continue;
    const name = signInResolvers[options.resolver]?.fallbackName(profile, options);
    if (name) return { userEntityRef: `user:default/${name}`, via: 'dangerouslyAllowSignInWithoutUserInCatalog', inCatalog: false };
  }
  const who = profile.email ?? profile.username ?? profile.subject;
  throw new SignInRefusedError(
    `No catalog User matches ${who} (tried ${resolvers.map((r) => r.resolver).join(', ')}). Ask an administrator to add you to the catalog, or to your organisation's user list.`,
    'no-matching-user',
  );
}
