import type { Request } from 'express';
import type { Knex } from 'knex';
import type { JsonSchema, Logger } from '@atrium/backend-plugin-api';

/**
 * What a sign-in provider learned about the person who signed in, in one shape for every
 * protocol (OIDC claims, GitHub's `/user`, SAML attributes). Sign-in resolvers
 * (`resolvers.ts`) map it to a catalog User.
 */
export interface SignInProfile {
  /** The provider's stable id for the person (OIDC `sub`, GitHub user id, SAML NameID). */
  subject: string;
  email?: string;
  /** Whether the provider vouches for `email` (OIDC `email_verified`; GitHub's verified primary). */
  emailVerified?: boolean;
  /** OIDC `preferred_username`, GitHub `login`, a SAML uid attribute. */
  username?: string;
  /** The SAML assertion's NameID (SAML only; `nameIdMatchingUserEntityName` reads it). */
  nameId?: string;
  displayName?: string;
  picture?: string;
  /** Every claim or attribute as received (for custom resolvers and the audit record). */
  claims: Record<string, unknown>;
}

/**
 * Values one sign-in attempt keeps between `start` and the callback (a PKCE verifier, a nonce,
 * a SAML request id). The auth module stores them server-side, keyed by the single-use `state`,
 * and hands them back to `handleCallback` once.
 */
export type SignInTransaction = Record<string, string>;

/** One configured sign-in provider's protocol side. */
export interface SignInProviderHandler {
  /** Where to send the browser to sign in; `state` must come back unchanged (OAuth `state`, SAML `RelayState`). */
  start(input: { state: string; req: Request }): Promise<{ redirectUrl: string; transaction?: SignInTransaction }>;
  /**
   * Reads the identity provider's answer at `/api/auth/<id>/handler/frame` (a GET query or a
   * POSTed form) and returns the profile, or throws `AuthenticationError` saying what was wrong.
   */
  handleCallback(input: { req: Request; transaction: SignInTransaction }): Promise<SignInProfile>;
  /** Extra GET routes under `/api/auth/<id>/` (SAML serves its SP metadata at `metadata`). */
  extraRoutes?: Record<string, (req: Request) => Promise<{ contentType: string; body: string }>>;
}

/** What a provider factory gets for one configured provider. */
export interface SignInProviderContext {
  /** The key under `auth.providers` (`oidc`, `github`, `saml`, or any id whose `type` names a kind). */
  id: string;
  /**
   * The provider's settings for the current `auth.environment` (already validated against
   * `configSchema`). `signIn` (the resolvers) and `title` are read by the auth module and are
   * not part of it, so `configSchema` need not list them.
   */
  config: Record<string, unknown>;
  /** Where `config` came from, for errors: `app-config.yaml: auth.providers.oidc.development`. */
  configPath: string;
  /** `callbackUrl` from config, else `<backend.baseUrl>/api/auth/<id>/handler/frame`. */
  callbackUrl: string;
  logger: Logger;
  /**
   * The auth module's schema (`atrium_auth`) when the provider runs inside the backend, for state
   * every replica must share (SAML's used assertion IDs). Optional: a provider built on its own
   * (unit tests) keeps such state in its process.
   */
  database?: Knex;
}

/** One kind of sign-in provider (OIDC, GitHub, SAML). */
export interface SignInProviderFactory {
  /** The button's default title (`title` in config overrides it). */
  title: string;
  /** JSON Schema of the provider's per-environment settings (Backstage's keys). */
  configSchema: JsonSchema;
  create(ctx: SignInProviderContext): Promise<SignInProviderHandler>;
  /**
   * Resolver names (see signIn/resolvers.ts) used when the config lists none under
   * `signIn.resolvers`; default `emailMatchingUserEntityProfileEmail`.
   */
  defaultResolvers?: Array<{ resolver: string }>;
  /**
   * Backstage reads this kind's settings directly under `auth.providers.<id>`, with no
   * environment level (SAML). Both that flat form and the per-environment form are accepted.
   */
  flatConfig?: boolean;
}
