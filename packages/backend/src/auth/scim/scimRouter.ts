import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { AuthenticationError, NotAllowedError, type Caller, type PermissionsService } from '@atrium/backend-plugin-api';
import type { Logger } from 'pino';
import SCIMMY from 'scimmy';
import { markPossibleNul, nulGuard } from '../../http/nulGuard.js';
import type { HostAuth } from '../hostAuth.js';
import { parseIfMatch } from './scimIfMatch.js';
import { normalisePatchBody, normaliseResourceBody } from './scimQuirks.js';
import { declareScimResources, type ScimContext } from './scimResources.js';
import type { ScimService } from './scimService.js';

/** Where the SCIM endpoint is served. */
export const SCIM_PATH = '/api/auth/scim/v2';
/** The scope (and permission) a service token needs to call it. */
export const SCIM_SCOPE = 'auth.scim';

const SCIM_TYPE = 'application/scim+json';
const MAX_COUNT = 200;

type ScimError = InstanceType<typeof SCIMMY.Types.Error>;
type ResourceClass = typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group;

function scimError(status: number, message: string, scimType?: string): ScimError {
  return new SCIMMY.Types.Error(status, (scimType ?? null) as unknown as string, message);
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_TYPE).send(JSON.stringify(body));
}

/** The query parameters the library takes, numbers as numbers (it refuses strings). */
function listParams(query: Request['query']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['filter', 'attributes', 'excludedAttributes', 'sortBy', 'sortOrder'] as const) {
    const v = query[key];
    if (typeof v === 'string') out[key] = v;
    else if (v !== undefined) throw scimError(400, `The query parameter ${key} must be given once`, 'invalidValue');
  }
  for (const key of ['startIndex', 'count'] as const) {
    const v = query[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw scimError(400, `The query parameter ${key} must be an integer`, 'invalidValue');
    out[key] = key === 'count' ? Math.min(Number(v), MAX_COUNT) : Number(v);
  }
  if (out['count'] === undefined) out['count'] = MAX_COUNT;
  return out;
}

/**
 * `/api/auth/scim/v2`: SCIM 2.0 (RFC 7644) Users and Groups for an identity provider, with the
 * discovery endpoints. Only a service API token holding the `auth.scim` scope may call it: no
 * token (or the guest, or a session cookie) is 401, another token is 403. Bodies may be
 * `application/scim+json` or `application/json`; answers are `application/scim+json`, errors
 * SCIM error messages (`status`, `scimType`, `detail`).
 */
export function scimRouter(deps: {
  scim: ScimService;
  hostAuth: HostAuth;
  permissions: PermissionsService;
  logger: Logger;
  baseUrl: string;
  maxBodyBytes: number;
}): Router {
  const { scim, hostAuth, permissions, logger } = deps;
  declareScimResources(`${deps.baseUrl}${SCIM_PATH}`);
  const router = express.Router();
  // The host parses application/json; SCIM clients mostly send application/scim+json.
  router.use(express.json({ type: SCIM_TYPE, limit: deps.maxBodyBytes, strict: false, verify: (req, _res, buf) => markPossibleNul(req as never, buf) }));
  router.use(nulGuard);

  const callers = new WeakMap<Request, Caller>();
  router.use(async (req, res, next) => {
    try {
      const authorization = req.headers.authorization;
      if (typeof authorization !== 'string' || !/^bearer\s/i.test(authorization)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="atrium-scim"');
        throw scimError(401, `SCIM requires a service API token with the ${SCIM_SCOPE} scope (Authorization: Bearer atr_…)`);
      }
      const resolution = await hostAuth.resolve(req);
      const token = resolution.token;
      if (!token) throw scimError(401, 'SCIM requires an API token');
      if (token.kind !== 'service') throw scimError(403, `SCIM accepts only service tokens (owned by a group); token "${token.name}" is personal`);
      if (!token.scopes.includes(SCIM_SCOPE)) throw scimError(403, `Token "${token.name}" lacks the ${SCIM_SCOPE} scope`);
      await permissions.assert(resolution.caller, { permission: SCIM_SCOPE });
      callers.set(req, resolution.caller);
      next();
    } catch (e) {
      next(e);
    }
  });

  const ctx = (req: Request): ScimContext => {
    const caller = callers.get(req);
    if (!caller) throw scimError(401, 'SCIM requires an API token');
    // If-Match binds writes only (RFC 7644 §3.14); reads ignore it.
    const ifMatch = req.method === 'GET' ? undefined : parseIfMatch(req.headers['if-match']);
    return { service: scim, caller, ...(ifMatch ? { ifMatch } : {}) };
  };
  const wrap = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next);
  };

  router.get(
    '/ServiceProviderConfig',
    wrap(async (_req, res) => send(res, 200, await new SCIMMY.Resources.ServiceProviderConfig().read())),
  );
  router.get(
    '/ResourceTypes',
    wrap(async (_req, res) => send(res, 200, await new SCIMMY.Resources.ResourceType().read())),
  );
  router.get(
    '/ResourceTypes/:id',
    wrap(async (req, res) => send(res, 200, await new SCIMMY.Resources.ResourceType(String(req.params['id'])).read())),
  );
  router.get(
    '/Schemas',
    wrap(async (_req, res) => send(res, 200, await new SCIMMY.Resources.Schema().read())),
  );
  router.get(
    '/Schemas/:id',
    wrap(async (req, res) => send(res, 200, await new SCIMMY.Resources.Schema(String(req.params['id'])).read())),
  );

  const resourceRoutes = (path: string, Resource: ResourceClass, kind: 'User' | 'Group') => {
    router.get(
      path,
      wrap(async (req, res) => send(res, 200, await new Resource(listParams(req.query) as never).read(ctx(req)))),
    );
    router.get(
      `${path}/:id`,
      wrap(async (req, res) => {
        const params = listParams(req.query);
        delete params['count'];
        const found = (await new Resource(String(req.params['id']), params as never).read(ctx(req))) as { meta?: { version?: string } };
        if (found.meta?.version) res.setHeader('ETag', found.meta.version);
        send(res, 200, found);
      }),
    );
    router.post(
      path,
      wrap(async (req, res) => {
        const created = (await new Resource().write(normaliseResourceBody(req.body) as never, ctx(req))) as { meta?: { location?: string; version?: string } };
        if (created.meta?.location) res.setHeader('Location', created.meta.location);
        if (created.meta?.version) res.setHeader('ETag', created.meta.version);
        send(res, 201, created);
      }),
    );
    router.put(
      `${path}/:id`,
      wrap(async (req, res) => {
        const written = (await new Resource(String(req.params['id'])).write(normaliseResourceBody(req.body) as never, ctx(req))) as {
          meta?: { version?: string };
        };
        if (written.meta?.version) res.setHeader('ETag', written.meta.version);
        send(res, 200, written);
      }),
    );
    router.patch(
      `${path}/:id`,
      wrap(async (req, res) => {
        const id = String(req.params['id']);
        const context = ctx(req);
        // Checked before the patch too: a PATCH that changes nothing writes nothing, yet a stale If-Match is still 412.
        await scim.checkIfMatch(kind, id, context.ifMatch);
        const patched = (await new Resource(id).patch(normalisePatchBody(req.body) as never, context)) ?? (await new Resource(id).read(context));
        const version = (patched as { meta?: { version?: string } }).meta?.version;
        if (version) res.setHeader('ETag', version);
        send(res, 200, patched);
      }),
    );
    router.delete(
      `${path}/:id`,
      wrap(async (req, res) => {
        await new Resource(String(req.params['id'])).dispose(ctx(req));
        res.status(204).end();
      }),
    );
  };
  resourceRoutes('/Users', SCIMMY.Resources.User, 'User');
  resourceRoutes('/Groups', SCIMMY.Resources.Group, 'Group');

  router.all('/Bulk', (_req, _res, next) => next(scimError(501, 'Bulk operations are not supported')));
  router.use((req, _res, next) => next(scimError(404, `No SCIM endpoint ${req.method} ${req.path}`)));

  // Errors as SCIM error messages, never the host's error shape: identity providers read `status` and `scimType`.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    let e: ScimError;
    if (err instanceof SCIMMY.Types.Error) e = err;
    else if (err instanceof AuthenticationError) e = scimError(401, err.message);
    else if (err instanceof NotAllowedError) e = scimError(403, err.message);
    else if (typeof (err as { statusCode?: number })?.statusCode === 'number' && (err as { statusCode: number }).statusCode < 500) {
      const status = (err as { statusCode: number }).statusCode;
      e = scimError(status, (err as Error).message, status === 400 ? 'invalidSyntax' : undefined);
    } else {
      logger.error({ err, method: req.method, path: req.originalUrl }, 'SCIM request failed');
      e = scimError(500, 'Internal error');
    }
    if (e.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="atrium-scim"');
    send(res, e.status, new SCIMMY.Messages.Error(e));
  });
  return router;
}
