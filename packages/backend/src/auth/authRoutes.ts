import express, { type Request, type RequestHandler, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import {
  AuthenticationError,
  HttpError,
  NotAllowedError,
  NotFoundError,
  validateInput,
  type AuditService,
  type AuthService,
  type Caller,
  type JsonSchema,
  type PermissionsService,
} from '@atrium/backend-plugin-api';
import type { HostAuth } from './hostAuth.js';

/** Requests per minute and address on one replica: every `/api/auth` route, and its mutations. */
export const AUTH_RATE_LIMITS = { allPerMinute: 300, mutationsPerMinute: 30, signInPerMinute: 60 } as const;

const MAX_TOKEN_DAYS = 366;

export const idParams: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
};

export const createTokenBody: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    scopes: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
      items: { type: 'string', pattern: '^(read|[a-z][a-zA-Z0-9-]*(\\.[a-zA-Z0-9-]+)+)$' },
    },
    expiresInDays: { type: 'integer', minimum: 1, maximum: MAX_TOKEN_DAYS },
    ownerRef: { type: 'string', pattern: '^group:[^/:]+/[^/:]+$', maxLength: 300 },
  },
  required: ['name', 'scopes', 'expiresInDays'],
  additionalProperties: false,
};
interface CreateTokenBody {
  name: string;
  scopes: string[];
  expiresInDays: number;
  ownerRef?: string;
}

export function limiter(limit: number, skip?: (req: Request) => boolean): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // The host trusts X-Forwarded-For (it runs behind a proxy); the proxy must set it.
    validate: { trustProxy: false },
    ...(skip ? { skip } : {}),
    handler: (_req, _res, next) => next(new HttpError('TooManyRequestsError', 429, `Too many requests to /api/auth; try again in a minute.`)),
  });
}

/** A signed-in user (by session or personal token); the guest is asked to sign in, a service token refused. */
function requireUser(caller: Caller, what: string): Caller {
  if (caller.type === 'guest') throw new AuthenticationError(`Sign in to ${what}.`);
  if (caller.type !== 'user') throw new NotAllowedError(`Only a signed-in user may ${what}.`);
  return caller;
}

/** Whether a token caller's scopes cover the scopes it asks a new token to have (no widening). */
function withinScopes(callerScopes: readonly string[] | undefined, requested: readonly string[]): boolean {
  if (!callerScopes) return true;
  return requested.every((s) => callerScopes.includes(s) || (s.endsWith('.read') && callerScopes.includes('read')));
}

/**
 * `/api/auth`: who am I, my sessions, sign out, my API tokens. Rate-limited per address on
 * each replica (express-rate-limit's memory store); every change is audited.
 */
export function authRouter(deps: { hostAuth: HostAuth; auth: AuthService; permissions: PermissionsService; audit: AuditService }): Router {
  const { hostAuth, auth, permissions, audit } = deps;
  const router = express.Router();
  router.use(limiter(AUTH_RATE_LIMITS.allPerMinute));
  router.use(limiter(AUTH_RATE_LIMITS.mutationsPerMinute, (req) => req.method === 'GET' || req.method === 'HEAD'));

  router.get('/me', async (req, res) => {
    const caller = await auth.getCaller(req);
    const resolution = await hostAuth.resolve(req).catch(() => undefined);
    res.json({
      ...caller,
      via: resolution?.caller === caller ? resolution.via : undefined,
      ...(resolution?.caller === caller && resolution.session ? { session: { id: resolution.session.id, expiresAt: resolution.session.expiresAt } } : {}),
      ...(resolution?.caller === caller && resolution.token
        ? { token: { id: resolution.token.id, name: resolution.token.name, expiresAt: resolution.token.expiresAt } }
        : {}),
    });
  });

  router.get('/sessions', async (req, res) => {
    const caller = requireUser(await auth.getCaller(req), 'list your sessions');
    await permissions.assert(caller, { permission: 'auth.session.read' });
    const current = (await hostAuth.resolve(req).catch(() => undefined))?.session?.id;
    const items = await hostAuth.sessions.listForUser(caller.userEntityRef);
    res.json({ items: items.map((s) => ({ ...s, current: s.id === current })) });
  });

  router.delete('/sessions/:id', async (req, res) => {
    const caller = requireUser(await auth.getCaller(req), 'sign out a session');
    const { id } = validateInput<{ id: string }>(idParams, req.params, 'params');
    await permissions.assert(caller, { permission: 'auth.session.delete', resourceRef: id });
    if (!(await hostAuth.sessions.revoke(caller.userEntityRef, id))) throw new NotFoundError(`You have no live session ${id}`);
    await audit.record({ actor: caller, action: 'auth.session.revoke', target: id });
    res.status(204).end();
  });

  // Sign out everywhere: every session of the caller, this one included.
  router.delete('/sessions', async (req, res) => {
    const caller = requireUser(await auth.getCaller(req), 'sign out everywhere');
    await permissions.assert(caller, { permission: 'auth.session.delete' });
    const count = await hostAuth.sessions.revokeAll(caller.userEntityRef);
    await audit.record({ actor: caller, action: 'auth.session.revokeAll', meta: { count } });
    res.append('Set-Cookie', hostAuth.clearedSessionCookie());
    res.json({ revoked: count });
  });

  // Sign out this browser: ends the cookie's session (if any) and clears the cookie.
  router.post('/logout', async (req, res) => {
    const secret = hostAuth.sessionSecretOf(req);
    const caller = await auth.getCaller(req).catch(() => undefined);
    if (secret && (await hostAuth.sessions.revokeSecret(secret)) && caller) await audit.record({ actor: caller, action: 'auth.logout' });
    res.append('Set-Cookie', hostAuth.clearedSessionCookie());
    res.status(204).end();
  });

  router.get('/tokens', async (req, res) => {
    const caller = await auth.getCaller(req);
    if (caller.type === 'guest') throw new AuthenticationError('Sign in to list your API tokens.');
    await permissions.assert(caller, { permission: 'auth.token.read' });
    res.json({ items: await hostAuth.tokens.list(caller.ownershipEntityRefs) });
  });

  router.post('/tokens', async (req, res) => {
    const caller = requireUser(await auth.getCaller(req), 'create API tokens');
    const body = validateInput<CreateTokenBody>(createTokenBody, req.body ?? {}, 'body');
    await permissions.assert(caller, { permission: 'auth.token.create', ...(body.ownerRef ? { resourceRef: body.ownerRef } : {}) });
    if (!withinScopes(caller.scopes, body.scopes)) {
      throw new NotAllowedError(`A token may not create a token with scopes beyond its own (${(caller.scopes ?? []).join(', ')})`);
    }
    const ownerRef = body.ownerRef ?? caller.userEntityRef;
    if (body.ownerRef && !caller.ownershipEntityRefs.includes(body.ownerRef)) {
      throw new NotAllowedError(`You are not a member of ${body.ownerRef}, so you may not create its service tokens`);
    }
    const { secret, token } = await hostAuth.tokens.create({
      name: body.name,
      kind: body.ownerRef ? 'service' : 'personal',
      ownerRef,
      createdBy: caller.userEntityRef,
      scopes: body.scopes,
      expiresAt: new Date(hostAuth.tokens.now().getTime() + body.expiresInDays * 86_400_000),
    });
    await audit.record({
      actor: caller,
      action: 'auth.token.create',
      target: token.id,
      meta: { name: token.name, kind: token.kind, ownerRef, scopes: token.scopes, expiresAt: token.expiresAt },
    });
    res.status(201).json({ token, secret, note: 'The secret is shown only now; store it safely.' });
  });

  router.delete('/tokens/:id', async (req, res) => {
    const caller = await auth.getCaller(req);
    if (caller.type === 'guest') throw new AuthenticationError('Sign in to revoke API tokens.');
    const { id } = validateInput<{ id: string }>(idParams, req.params, 'params');
    await permissions.assert(caller, { permission: 'auth.token.delete', resourceRef: id });
    const token = await hostAuth.tokens.get(id);
    if (!token || !caller.ownershipEntityRefs.includes(token.ownerRef)) throw new NotFoundError(`You have no API token ${id}`);
    if (await hostAuth.tokens.revoke(id))
      await audit.record({ actor: caller, action: 'auth.token.revoke', target: id, meta: { name: token.name, ownerRef: token.ownerRef } });
    res.status(204).end();
  });

  return router;
}

/**
 * On every /api request with a session cookie that names no live session (forged, ended,
 * expired), the response clears the cookie. The caller's resolution is cached for the route.
 */
export function clearStaleSessionCookie(hostAuth: HostAuth): RequestHandler {
  return async (req, res, next) => {
    if (!hostAuth.sessionSecretOf(req) || /^bearer\s/i.test(req.headers.authorization ?? '')) return next();
    try {
      const resolution = await hostAuth.resolve(req);
      if (resolution.staleCookie) res.append('Set-Cookie', hostAuth.clearedSessionCookie());
    } catch (e) {
      // Guest off and a dead cookie: the route answers 401; the cookie goes either way.
      if (e instanceof AuthenticationError) res.append('Set-Cookie', hostAuth.clearedSessionCookie());
      else return next(e);
    }
    next();
  };
}
