import * as client from 'openid-client';
import { AuthenticationError, HttpError, type JsonSchema } from '@atrium/backend-plugin-api';
import type { SignInProfile, SignInProviderContext, SignInProviderFactory, SignInProviderHandler } from './types.js';

/** `auth.providers.oidc.<environment>`: Backstage's OIDC keys. */
export const oidcConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    clientId: { type: 'string', minLength: 1 },
    clientSecret: { type: 'string', minLength: 1 },
    /** The issuer's discovery document (`…/.well-known/openid-configuration`) or the issuer URL itself. */
    metadataUrl: { type: 'string', pattern: '^https?://' },
    callbackUrl: { type: 'string', pattern: '^https?://' },
    prompt: { type: 'string', enum: ['none', 'login', 'consent', 'select_account', 'auto'] },
    scope: { type: 'string', minLength: 1 },
    additionalScopes: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    tokenEndpointAuthMethod: { type: 'string', enum: ['client_secret_basic', 'client_secret_post'] },
    tokenSignedResponseAlg: { type: 'string', pattern: '^(RS|PS|ES)(256|384|512)$|^EdDSA$' },
    /** Accepted so a Backstage file carries over; Atrium's session lifetimes are `auth.session.*`. */
    sessionDuration: {},
    timeout: {},
  },
  required: ['clientId', 'clientSecret', 'metadataUrl'],
  additionalProperties: false,
};

interface OidcConfig {
  clientId: string;
  clientSecret: string;
  metadataUrl: string;
  prompt?: string;
  scope?: string;
  additionalScopes?: string | string[];
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  tokenSignedResponseAlg?: string;
}

export const DEFAULT_OIDC_SCOPE = 'openid profile email';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether openid-client may talk plain http to this issuer: only on this machine (a local or test IdP). */
export function allowsInsecureIssuer(metadataUrl: URL): boolean {
  return metadataUrl.protocol === 'http:' && LOOPBACK.has(metadataUrl.hostname);
}

function scopeOf(config: OidcConfig): string {
  const extra = typeof config.additionalScopes === 'string' ? config.additionalScopes.split(/[\s,]+/) : (config.additionalScopes ?? []);
  const scopes = new Set([...(config.scope ?? DEFAULT_OIDC_SCOPE).split(/\s+/), ...extra].filter(Boolean));
  scopes.add('openid');
  return [...scopes].join(' ');
}

/** Errors openid-client raises for a bad answer (as opposed to an unreachable issuer). */
function isProtocolError(e: unknown): boolean {
  return (
    e instanceof client.ClientError ||
    e instanceof client.ResponseBodyError ||
    e instanceof client.AuthorizationResponseError ||
    e instanceof client.WWWAuthenticateChallengeError
  );
}

function profileOf(claims: Record<string, unknown>): SignInProfile {
  const str = (k: string) => (typeof claims[k] === 'string' && claims[k] ? (claims[k] as string) : undefined);
  const emailVerified = claims['email_verified'];
  const profile: SignInProfile = { subject: String(claims['sub']), claims };
  const email = str('email');
  if (email) profile.email = email;
  if (typeof emailVerified === 'boolean') profile.emailVerified = emailVerified;
  else if (emailVerified === 'true' || emailVerified === 'false') profile.emailVerified = emailVerified === 'true';
  const username = str('preferred_username');
  if (username) profile.username = username;
  const name = str('name');
  if (name) profile.displayName = name;
  const picture = str('picture');
  if (picture) profile.picture = picture;
  return profile;
}

/**
 * The OpenID Connect provider: authorization code flow with PKCE (S256), `state` and `nonce`,
 * through openid-client, which checks the ID token (signature against the issuer's JWKS, the
 * expected algorithm, iss, aud, exp, nonce). The issuer is discovered at the first sign-in (and
 * again after a failed discovery), so a start does not depend on the identity provider.
 */
export async function createOidcHandler(ctx: SignInProviderContext): Promise<SignInProviderHandler> {
  const config = ctx.config as unknown as OidcConfig;
  const metadataUrl = new URL(config.metadataUrl);
  const insecure = allowsInsecureIssuer(metadataUrl);
  if (metadataUrl.protocol === 'http:' && !insecure) {
    throw new Error(`metadataUrl must be https (plain http is allowed only for localhost or 127.0.0.1): ${config.metadataUrl}`);
  }
  const scope = scopeOf(config);
  const clientAuth =
    config.tokenEndpointAuthMethod === 'client_secret_post' ? client.ClientSecretPost(config.clientSecret) : client.ClientSecretBasic(config.clientSecret);
  let discovered: Promise<client.Configuration> | undefined;
  const issuer = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        metadataUrl,
        config.clientId,
        { ...(config.tokenSignedResponseAlg ? { id_token_signed_response_alg: config.tokenSignedResponseAlg } : {}) },
        clientAuth,
        {
          execute: insecure ? [client.allowInsecureRequests] : [],
          timeout: 10,
        },
      )
      .catch((e: unknown) => {
        discovered = undefined;
        throw new HttpError(
          'BadGatewayError',
          502,
          `The OpenID provider's metadata at ${config.metadataUrl} could not be read: ${e instanceof Error ? e.message : String(e)}`,
        );
      });
    return discovered;
  };

  return {
    async start({ state }) {
      const issuerConfig = await issuer();
      const codeVerifier = client.randomPKCECodeVerifier();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(issuerConfig, {
        redirect_uri: ctx.callbackUrl,
        response_type: 'code',
        scope,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        ...(config.prompt && config.prompt !== 'auto' ? { prompt: config.prompt } : {}),
      });
      return { redirectUrl: url.href, transaction: { codeVerifier, nonce } };
    },

    async handleCallback({ req, transaction }) {
      const issuerConfig = await issuer();
      // The callback URL as registered, with the query the provider sent: openid-client takes
      // redirect_uri from it for the token request.
      const currentUrl = new URL(ctx.callbackUrl);
      currentUrl.search = new URL(req.originalUrl, 'http://x').search;
      const state = currentUrl.searchParams.get('state') ?? undefined;
      try {
        const tokens = await client.authorizationCodeGrant(issuerConfig, currentUrl, {
          pkceCodeVerifier: transaction['codeVerifier']!,
          expectedNonce: transaction['nonce']!,
          ...(state ? { expectedState: state } : {}),
          idTokenExpected: true,
        });
        const idClaims = tokens.claims();
        if (!idClaims) throw new AuthenticationError('The OpenID provider returned no ID token.');
        let claims: Record<string, unknown> = { ...idClaims };
        // Many providers put profile claims only in userinfo when an access token is issued.
        if ((!claims['email'] || !claims['preferred_username']) && issuerConfig.serverMetadata().userinfo_endpoint && tokens.access_token) {
          const info = await client.fetchUserInfo(issuerConfig, tokens.access_token, idClaims.sub);
          claims = { ...info, ...claims };
        }
        return profileOf(claims);
      } catch (e) {
        if (e instanceof AuthenticationError || e instanceof HttpError) throw e;
        if (isProtocolError(e)) throw new AuthenticationError(`The OpenID provider's answer was refused: ${(e as Error).message}${describeCause(e)}`);
        throw new HttpError(
          'BadGatewayError',
          502,
          `The OpenID provider could not be reached to finish the sign-in: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    },
  };
}

/** The specific reason under openid-client's generic message (its `cause` chain), e.g. `unexpected ID Token "nonce" claim value`. */
function describeCause(e: unknown): string {
  const err = e as { error?: string; error_description?: string; code?: string };
  if (err.error) return ` (${err.error}${err.error_description ? `: ${err.error_description}` : ''})`;
  const details: string[] = [];
  let cause: unknown = (e as { cause?: unknown }).cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    if (cause instanceof Error) details.push(cause.message);
    else if (typeof cause === 'object' && cause !== null && 'claim' in cause) details.push(`claim ${String((cause as { claim: unknown }).claim)}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return ` (${[...details, err.code].filter(Boolean).join('; ')})`;
}

export const oidcProviderFactory: SignInProviderFactory = {
  title: 'OpenID Connect',
  configSchema: oidcConfigSchema,
  create: createOidcHandler,
  defaultResolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
};
