import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import { AuthenticationError, type AuthService, type Caller, type EventsService, type RequestLike } from '@atrium/backend-plugin-api';
import { bindCallerToRequest } from '../http/requestContext.js';
import type { AuthSettings } from './authConfig.js';
import { systemClock, type Clock } from './clock.js';
import { TtlCache } from './ttlCache.js';
import { resolveOwnership, type EntityLookup } from './ownership.js';
import { TOKEN_PREFIX } from './secrets.js';
import type { SessionInfo, SessionStore } from './sessionStore.js';
import type { TokenInfo, TokenStore } from './tokenStore.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'atrium_session';

export const GUEST_CALLER: Caller = Object.freeze({
  type: 'guest',
  userEntityRef: 'user:default/guest',
  ownershipEntityRefs: Object.freeze(['user:default/guest']) as string[],
  displayName: 'Guest',
});

/**
 * How long a user's ownership refs (its groups, resolved through the catalog) are reused without
 * asking the catalog again; a User or Group event drops them sooner. Sessions and tokens are not
 * cached: a sign-out or a revocation counts at once on every replica.
 */
export const OWNERSHIP_CACHE_TTL_MS = 5_000;

/** How a request was identified, with the session or token behind it. */
export interface Resolution {
  caller: Caller;
  via: 'session' | 'token' | 'guest';
  session?: SessionInfo;
  token?: TokenInfo;
  /** The request carried a session cookie that names no live session: the response should clear it. */
  staleCookie?: boolean;
}

/**
 * The host's `auth`: a session cookie or a bearer API token identifies a catalog user (its
 * groups resolved per request through the catalog), otherwise the guest when guest sign-in is
 * on, otherwise 401. One resolution per request object (cached), so a handler may ask again.
 */
export class HostAuth implements AuthService {
  private readonly cache = new WeakMap<object, Promise<Resolution>>();
  // Across requests, per replica, by user ref.
  private readonly ownershipCache: TtlCache<string[]>;

  constructor(
    readonly sessions: SessionStore,
    readonly tokens: TokenStore,
    readonly settings: AuthSettings,
    private readonly catalog: () => EntityLookup | undefined,
    /** Origin locations whose User and Group entities confer membership (see ownership.ts). */
    readonly trustedOrigins: ReadonlySet<string> = new Set(),
    private readonly clock: Clock = systemClock,
    cacheTtlMs = OWNERSHIP_CACHE_TTL_MS,
  ) {
    this.ownershipCache = new TtlCache(cacheTtlMs);
  }

  /**
   * Keeps the ownership cache true: a User or Group changed in the catalog (on this replica or,
   * through the event bus, another) drops every cached set of ownership refs, so a change of team
   * counts from the next request.
   */
  followEvents(events: EventsService): () => void {
    return events.subscribe<{ entityRef?: unknown } | undefined>('catalog.entity.*', ({ payload }) => {
      const ref = typeof payload?.entityRef === 'string' ? payload.entityRef : '';
      if (ref.startsWith('user:') || ref.startsWith('group:')) this.ownershipCache.clear();
    });
  }

  /** The running catalog's lookup, if the catalog is running (sign-in resolves Users with it). */
  catalogLookup(): EntityLookup | undefined {
    return this.catalog();
  }

  async getCaller(req: RequestLike): Promise<Caller> {
    return (await this.resolve(req)).caller;
  }

  serviceCaller(pluginId: string): Caller {
    return { type: 'service', userEntityRef: `plugin:${pluginId}`, ownershipEntityRefs: [], displayName: `plugin ${pluginId}` };
  }

  /** Identifies a request (cached per request object). */
  resolve(req: RequestLike): Promise<Resolution> {
    let pending = this.cache.get(req);
    if (!pending) {
      pending = this.resolveUncached(req).then((resolution) => {
        bindCallerToRequest(resolution.caller, req);
        return resolution;
      });
      this.cache.set(req, pending);
    }
    return pending;
  }

  /** The `Set-Cookie` value carrying a new session's secret. */
  sessionCookie(secret: string): string {
    return serializeCookie(SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.settings.secureCookies,
      path: '/',
      maxAge: Math.floor(this.settings.maxMs / 1000),
    });
  }

  /** The `Set-Cookie` value that removes the session cookie. */
  clearedSessionCookie(): string {
    return serializeCookie(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: this.settings.secureCookies, path: '/', maxAge: 0 });
  }

  /** The session cookie's value on a request, if any. */
  sessionSecretOf(req: RequestLike): string | undefined {
    const header = req.headers['cookie'];
    if (!header) return undefined;
    const value = parseCookie(Array.isArray(header) ? header.join('; ') : header)[SESSION_COOKIE];
    return value ? value : undefined;
  }

  private async resolveUncached(req: RequestLike): Promise<Resolution> {
    const authorization = req.headers['authorization'];
    if (typeof authorization === 'string' && /^bearer\s/i.test(authorization)) {
      return this.resolveToken(authorization.replace(/^bearer\s+/i, '').trim());
    }
    let staleCookie = false;
    const secret = this.sessionSecretOf(req);
    if (secret) {
      const session = await this.sessions.lookup(secret);
      if (session) {
        return { caller: await this.userCaller(session.userEntityRef), via: 'session', session };
      }
      // A forged, ended or expired cookie counts as no session at all.
      staleCookie = true;
    }
    if (!this.settings.guestEnabled) {
      throw new AuthenticationError(
        staleCookie ? 'Your session has ended; sign in again.' : 'Sign-in required: send a session cookie or an API token (Authorization: Bearer atr_...).',
      );
    }
    // The request's own copy, so it can be tied to the request (bindCallerToRequest).
    return { caller: { ...GUEST_CALLER }, via: 'guest', staleCookie };
  }

  private async resolveToken(secret: string): Promise<Resolution> {
    if (!secret.startsWith(TOKEN_PREFIX)) throw new AuthenticationError(`The bearer token is not an Atrium API token (they start with ${TOKEN_PREFIX}).`);
    const found = await this.tokens.lookup(secret);
    if (found.status === 'unknown') throw new AuthenticationError('Unknown API token.');
    if (found.status === 'revoked') throw new AuthenticationError(`This API token ("${found.token.name}") was revoked at ${found.token.revokedAt}.`);
    if (found.status === 'expired') throw new AuthenticationError(`This API token ("${found.token.name}") expired at ${found.token.expiresAt}.`);
    const { token } = found;
    const base = await this.userCaller(token.ownerRef);
    const caller: Caller = { ...base, type: token.kind === 'personal' ? 'user' : 'service', scopes: [...token.scopes] };
    return { caller, via: 'token', token };
  }

  private async userCaller(userEntityRef: string): Promise<Caller> {
    const catalog = this.catalog();
    const now = this.clock().getTime();
    let ownershipEntityRefs = catalog ? this.ownershipCache.get(userEntityRef, now) : undefined;
    if (!ownershipEntityRefs) {
      ownershipEntityRefs = await resolveOwnership(userEntityRef, catalog, this.trustedOrigins);
      if (catalog) this.ownershipCache.set(userEntityRef, ownershipEntityRefs, now);
    }
    // Each caller gets its own copy: callers are per request and may be bound to it.
    ownershipEntityRefs = [...ownershipEntityRefs];
    return { type: 'user', userEntityRef, ownershipEntityRefs, displayName: userEntityRef.replace(/^[^:]+:(default\/)?/, '') };
  }
}
