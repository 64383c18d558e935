import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import { AuthenticationError, type AuthService, type Caller, type EventsService, type RequestLike } from '@atrium/backend-plugin-api';
import { bindCallerToRequest } from '../http/requestContext.js';
import type { AuthSettings } from './authConfig.js';
import { systemClock, type Clock } from './clock.js';
import { TtlCache } from './ttlCache.js';
import { resolveOwnership, type EntityLookup } from './ownership.js';
import { hashSecret, TOKEN_PREFIX } from './secrets.js';
import type { SessionInfo, SessionStore } from './sessionStore.js';
import type { TokenInfo, TokenLookup, TokenStore } from './tokenStore.js';

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
 * asking the catalog again; a User or Group event drops them sooner.
 */
export const OWNERSHIP_CACHE_TTL_MS = 5_000;

/**
 * How long a session or token lookup is reused on this replica. A sign-out or revocation drops
 * every cached lookup at once on the replica that made it and, through the event bus
 * (`auth.credentials.revoked`, a Postgres NOTIFY), on the others within milliseconds. While a
 * replica cannot hear the others (its LISTEN session is down) it caches nothing.
 */
export const CREDENTIAL_CACHE_TTL_MS = 5_000;

/** The event that tells every replica a session or token ended. */
export const CREDENTIALS_REVOKED_TOPIC = 'auth.credentials.revoked';

/**
 * Whether cached credentials can be trusted now: a number that changes whenever this replica may
 * have missed another's revocation, or undefined while it cannot hear them (see EventBus).
 */
export type CacheGate = () => number | undefined;

type CachedCredential = { generation: number; session: SessionInfo } | { generation: number; token: { status: 'valid'; token: TokenInfo } };

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
  // Across requests, per replica, by the secret's hash: recent session and token lookups.
  private readonly credentialCache: TtlCache<CachedCredential>;
  // Bumped by every revocation heard: a lookup that started before one is not cached.
  private revocations = 0;
  private cacheGate: CacheGate = () => undefined;

  constructor(
    readonly sessions: SessionStore,
    readonly tokens: TokenStore,
    readonly settings: AuthSettings,
    private readonly catalog: () => EntityLookup | undefined,
    /** Origin locations whose User and Group entities confer membership (see ownership.ts). */
    readonly trustedOrigins: ReadonlySet<string> = new Set(),
    private readonly clock: Clock = systemClock,
    cacheTtlMs = OWNERSHIP_CACHE_TTL_MS,
    credentialTtlMs = CREDENTIAL_CACHE_TTL_MS,
  ) {
    this.ownershipCache = new TtlCache(cacheTtlMs);
    this.credentialCache = new TtlCache(credentialTtlMs);
  }

  /**
   * Turns on the per-replica cache of session and token lookups: revocations made through this
   * replica's stores are announced on `events`, revocations announced by others drop the cache,
   * and `gate` says when the announcements can be relied on (undefined: do not cache).
   */
  cacheCredentials(events: EventsService, gate: CacheGate): () => void {
    this.cacheGate = gate;
    const forget = () => {
      this.revocations++;
      this.credentialCache.clear();
    };
    const announce = () => {
      forget();
      void events.publish(CREDENTIALS_REVOKED_TOPIC, {}).catch(() => {});
    };
    const offSessions = this.sessions.onRevoked(announce);
    const offTokens = this.tokens.onRevoked(announce);
    const offEvents = events.subscribe(CREDENTIALS_REVOKED_TOPIC, forget);
    return () => {
      offSessions();
      offTokens();
      offEvents();
      this.cacheGate = () => undefined;
      forget();
    };
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
      const session = await this.lookupSession(secret);
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
    const found = await this.lookupToken(secret);
    if (found.status === 'unknown') throw new AuthenticationError('Unknown API token.');
    if (found.status === 'revoked') throw new AuthenticationError(`This API token ("${found.token.name}") was revoked at ${found.token.revokedAt}.`);
    if (found.status === 'expired') throw new AuthenticationError(`This API token ("${found.token.name}") expired at ${found.token.expiresAt}.`);
    const { token } = found;
    const base = await this.userCaller(token.ownerRef);
    const caller: Caller = { ...base, type: token.kind === 'personal' ? 'user' : 'service', scopes: [...token.scopes] };
    return { caller, via: 'token', token };
  }

  private cached(key: string, now: number): CachedCredential | undefined {
    const generation = this.cacheGate();
    if (generation === undefined) return undefined;
    const hit = this.credentialCache.get(key, now);
    return hit && hit.generation === generation ? hit : undefined;
  }

  /** Caches a lookup unless a revocation was heard, or the bus changed, while it ran. */
  private remember(key: string, entry: CachedCredential, revocationsBefore: number, now: number): void {
    if (this.revocations !== revocationsBefore || this.cacheGate() !== entry.generation) return;
    this.credentialCache.set(key, entry, now);
  }

  private async lookupSession(secret: string): Promise<SessionInfo | undefined> {
    const key = `s:${hashSecret(secret)}`;
    const now = this.clock().getTime();
    const hit = this.cached(key, now);
    if (hit && 'session' in hit && now < Date.parse(hit.session.expiresAt)) return hit.session;
    const before = this.revocations;
    const generation = this.cacheGate();
    const session = await this.sessions.lookup(secret);
    if (session && generation !== undefined) this.remember(key, { generation, session }, before, now);
    return session;
  }

  private async lookupToken(secret: string): Promise<TokenLookup> {
    const key = `t:${hashSecret(secret)}`;
    const now = this.clock().getTime();
    const hit = this.cached(key, now);
    if (hit && 'token' in hit && now < Date.parse(hit.token.token.expiresAt)) return hit.token;
    const before = this.revocations;
    const generation = this.cacheGate();
    const found = await this.tokens.lookup(secret);
    if (found.status === 'valid' && generation !== undefined) this.remember(key, { generation, token: { status: 'valid', token: found.token } }, before, now);
    return found;
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
