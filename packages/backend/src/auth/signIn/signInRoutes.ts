import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import { AuthenticationError, HttpError, NotFoundError, type AuditService, type Caller } from '@atrium/backend-plugin-api';
import { AUTH_RATE_LIMITS, limiter } from '../authRoutes.js';
import { GUEST_CALLER, type HostAuth } from '../hostAuth.js';
import { hashSecret, newSessionSecret } from '../secrets.js';
import { resolveSignIn, SignInRefusedError } from './resolvers.js';
import { safeReturnTo } from './returnTo.js';
import type { SignInProvider } from './signInProviders.js';
import { sendSignInFailedPage, wantsHtml } from './signInPage.js';
import type { SignInTransactionStore } from './transactionStore.js';

/** The cookie that ties a started sign-in to the browser that started it (login CSRF). */
export const SIGN_IN_BINDING_COOKIE = 'atrium_sign_in';

/** What the sign-in routes need: the configured providers and where started sign-ins wait. */
export interface SignIn {
  providers: ReadonlyMap<string, SignInProvider>;
  transactions: SignInTransactionStore;
}

/** The answer of `GET /api/auth/providers`: what the sign-in page shows. */
export interface SignInProvidersResponse {
  guest: boolean;
  providers: Array<{ id: string; title: string; startUrl: string }>;
}

/** A sign-in attempt that failed, with the reason recorded in the audit. */
class SignInFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** The `state` the identity provider sent back: OAuth's `state` (query or form) or SAML's `RelayState`. */
function stateOf(req: Request): string | undefined {
  const body = (req.body ?? {}) as Record<string, unknown>;
  for (const v of [req.query['state'], body['state'], body['RelayState'], req.query['RelayState']]) if (typeof v === 'string' && v) return v;
  return undefined;
}

/**
 * Sign-in at Backstage's paths, public (no caller needed):
 * `GET /providers`, `GET /<id>/start?returnTo=/path`, `GET|POST /<id>/handler/frame`, and each
 * provider's extra routes at `GET /<id>/<name>`. Mounted before the API's JSON-only and origin
 * guards, because a SAML identity provider POSTs a form from its own origin to the callback;
 * the single-use, server-side `state` is what protects the callback.
 */
export function signInRouter(deps: { hostAuth: HostAuth; signIn: SignIn; audit: AuditService }): Router {
  const { hostAuth, signIn, audit } = deps;
  const router = express.Router();
  const strict = limiter(AUTH_RATE_LIMITS.signInPerMinute);
  const general = limiter(AUTH_RATE_LIMITS.allPerMinute);
  const cookieBase = { httpOnly: true, sameSite: 'lax' as const, secure: hostAuth.settings.secureCookies };

  const recordFailure = async (providerId: string, reason: string, message: string): Promise<void> => {
    try {
      await audit.record({
        actor: GUEST_CALLER,
        action: 'auth.signIn.failed',
        outcome: 'failed',
        target: providerId,
        meta: { provider: providerId, reason, message },
      });
    } catch {
      // The refusal is answered even when its audit record cannot be written.
    }
  };

  const providerOf = (req: Request): SignInProvider => {
    const provider = signIn.providers.get(String(req.params['id']));
    if (!provider) throw new NotFoundError(`No sign-in provider "${String(req.params['id'])}" is configured (see GET /api/auth/providers).`);
    return provider;
  };

  router.get('/providers', general, (_req, res) => {
    const body: SignInProvidersResponse = {
      guest: hostAuth.settings.guestEnabled,
      providers: [...signIn.providers.values()].map((p) => ({ id: p.id, title: p.title, startUrl: `/api/auth/${p.id}/start` })),
    };
    res.json(body);
  });

  router.get('/:id/start', strict, async (req, res) => {
    const provider = providerOf(req);
    const returnTo = safeReturnTo(req.query['returnTo']);
    const state = signIn.transactions.newState();
    // One binding value per browser (reused across tabs), sent back only on same-site navigations.
    const binding = parseCookie(req.headers.cookie ?? '')[SIGN_IN_BINDING_COOKIE] || newSessionSecret();
    let started: Awaited<ReturnType<SignInProvider['handler']['start']>>;
    try {
      started = await provider.handler.start({ state, req });
    } catch (e) {
      const error =
        e instanceof HttpError
          ? e
          : new HttpError('BadGatewayError', 502, `Sign-in with ${provider.title} could not start: ${e instanceof Error ? e.message : String(e)}`);
      await recordFailure(provider.id, 'start-failed', error.message);
      throw error;
    }
    await signIn.transactions.save(state, { providerId: provider.id, transaction: started.transaction ?? {}, returnTo, bindingHash: hashSecret(binding) });
    res.append('Set-Cookie', serializeCookie(SIGN_IN_BINDING_COOKIE, binding, { ...cookieBase, path: '/api/auth', maxAge: 600 }));
    res.redirect(302, started.redirectUrl);
  });

  const handleFrame = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const provider = providerOf(req);
    let returnTo = '/';
    try {
      const state = stateOf(req);
      if (!state) throw new SignInFailure(401, 'The sign-in answer carries no state; start the sign-in again.', 'missing-state');
      const stored = await signIn.transactions.take(state, provider.id);
      if (!stored)
        throw new SignInFailure(401, 'This sign-in is unknown, was already used, or took longer than 10 minutes; start the sign-in again.', 'bad-state');
      returnTo = stored.returnTo;
      // A browser-navigated (GET) answer must come back to the browser that started it.
      const binding = parseCookie(req.headers.cookie ?? '')[SIGN_IN_BINDING_COOKIE];
      if (req.method === 'GET' && stored.bindingHash && (!binding || hashSecret(binding) !== stored.bindingHash)) {
        throw new SignInFailure(401, 'This sign-in was started in another browser; start the sign-in again here.', 'browser-mismatch');
      }
      let profile;
      try {
        profile = await provider.handler.handleCallback({ req, transaction: stored.transaction });
      } catch (e) {
        if (e instanceof AuthenticationError) throw new SignInFailure(401, e.message, 'provider-refused');
        throw e;
      }
      let resolved;
      try {
        resolved = await resolveSignIn(profile, provider.resolvers, { catalog: hostAuth.catalogLookup(), trustedOrigins: hostAuth.trustedOrigins });
      } catch (e) {
        if (e instanceof SignInRefusedError) throw new SignInFailure(401, e.message, e.reason);
        throw e;
      }
      const previous = hostAuth.sessionSecretOf(req);
      const { secret, session } = await hostAuth.sessions.create(resolved.userEntityRef, {
        ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
        ...(req.ip ? { ip: req.ip } : {}),
        // Rotation: the browser's previous session (if any) ends as this one starts.
        ...(previous ? { replacing: previous } : {}),
      });
      const actor: Caller = {
        type: 'user',
        userEntityRef: resolved.userEntityRef,
        ownershipEntityRefs: [resolved.userEntityRef],
        displayName: profile.displayName ?? resolved.userEntityRef,
      };
      await audit.record({
        actor,
        action: 'auth.signIn',
        target: session.id,
        meta: {
          provider: provider.id,
          resolver: resolved.via,
          inCatalog: resolved.inCatalog,
          subject: profile.subject,
          ...(profile.email ? { email: profile.email } : {}),
        },
      });
      res.append('Set-Cookie', hostAuth.sessionCookie(secret));
      res.append('Set-Cookie', serializeCookie(SIGN_IN_BINDING_COOKIE, '', { ...cookieBase, path: '/api/auth', maxAge: 0 }));
      res.redirect(302, stored.returnTo);
    } catch (e) {
      const failure = e instanceof SignInFailure ? e : undefined;
      const status = failure?.status ?? (e instanceof HttpError ? e.statusCode : 500);
      await recordFailure(provider.id, failure?.reason ?? 'error', e instanceof Error ? e.message : String(e));
      if (status === 500) return next(e);
      const message = e instanceof Error ? e.message : String(e);
      if (wantsHtml(req)) return sendSignInFailedPage(res, status, message, returnTo);
      next(failure ? (failure.status === 401 ? new AuthenticationError(message) : new HttpError('SignInError', failure.status, message)) : e);
    }
  };
  router.get('/:id/handler/frame', strict, handleFrame);
  // A SAML identity provider POSTs a form here; only this route parses form bodies.
  router.post('/:id/handler/frame', strict, express.urlencoded({ extended: false, limit: '1mb' }), handleFrame);

  const extraRoute = (req: Request) => signIn.providers.get(String(req.params['id']))?.handler.extraRoutes?.[String(req.params['name'])];
  router.get(
    '/:id/:name',
    // Not a provider's extra route (e.g. /api/auth/scim/v2): left to the routes after this router, unlimited here.
    (req, _res, next) => next(extraRoute(req) ? undefined : 'route'),
    general,
    async (req, res, next) => {
      const route = extraRoute(req);
      if (!route) return next();
      const { contentType, body } = await route(req);
      res.type(contentType).send(body);
    },
  );

  return router;
}
