import type { Request, RequestHandler, Response, Router } from 'express';
import type { AuthService, Caller, OpenApiFragment, PermissionsService } from './services.js';
import { NotAllowedError } from './errors.js';
import { inputValidator, type JsonSchema } from './validation.js';

export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a declared route's handler receives: the validated parts of the request and the caller. */
export interface RouteRequest<P, Q, B> {
  /** Path parameters, validated against `params` (a `{*rest}` wildcard arrives joined with `/`). */
  params: P;
  /** Query string, validated (and coerced) against `query`. */
  query: Q;
  /** JSON body, validated against `body` (defaults applied); `undefined` when the route declares none. */
  body: B;
  /** Who is calling, from `ctx.auth`; already allowed the route's permission. */
  caller: Caller;
  /** The raw request and response, for headers, ETags, streaming or non-JSON replies. */
  req: Request;
  res: Response;
}

/**
 * The permission a route checks before its handler runs: a permission name, optionally with the
 * resource it targets (taken from the validated request), or an explicit public route with the
 * reason it needs no check (health-like endpoints). There is no default: every route says.
 */
export type RoutePermission<P = unknown, Q = unknown, B = unknown, S = unknown> =
  | string
  | {
      name: string;
      /**
       * The resource the check concerns, from the validated request (and the plugin's services,
       * when it must be looked up, e.g. the entity an exemption belongs to). Undefined: no resource.
       */
      resourceRef?(request: { params: P; query: Q; body: B }, services: S): string | undefined | Promise<string | undefined>;
      /**
       * For reads of a resource whose existence is itself private (an entity's docs, say): when
       * the caller may use the permission on some targets but not on this one, answer with this
       * error (a 404 worded like the route's own "missing" reply) instead of 403, so a hidden
       * resource cannot be told from a missing one. A caller allowed no target at all still gets 403.
       */
      hiddenAs?(request: { params: P; query: Q; body: B }, resourceRef: string): Error;
      /**
       * With `hiddenAs` on a change (`techdocs.build`): the read permission that decides whether the
       * target is hidden. A denied caller who may read the target gets 403 (audited), one who may
       * not gets `hiddenAs` (404).
       */
      hiddenUnless?: string;
    }
  | { public: true; reason: string };

export interface RouteResponse {
  /** Status of a successful reply (default 200). */
  status?: number;
  description?: string;
  /** JSON Schema of the reply body, or a `$ref` to one of the plugin's components. Documentation only. */
  schema?: JsonSchema;
  /** Media type of the reply (default application/json). */
  contentType?: string;
}

export interface RouteDefinition<S = unknown, P = unknown, Q = unknown, B = unknown> {
  method: RouteMethod;
  /** Express path relative to the plugin's mount, e.g. `/entities/:namespace/:kind/:name`. */
  path: string;
  /** JSON Schema of the path parameters (an object with one property per `:param`). */
  params?: JsonSchema;
  /** JSON Schema of the query string; strings are coerced to the declared types. */
  query?: JsonSchema;
  /** JSON Schema of the JSON body. */
  body?: JsonSchema;
  response?: RouteResponse;
  /** Other documented replies besides 200/400/403, e.g. `{ '404': { description: 'No such entity' } }`. */
  responses?: Record<string, { description: string; schema?: JsonSchema }>;
  permission: RoutePermission<P, Q, B, S>;
  summary?: string;
  description?: string;
  tags?: string[];
  /**
   * Runs after validation and the permission check. `services` is what the plugin passes to
   * mountRoutes (its stores, queues...). A returned value is sent as JSON with `response.status`;
   * return nothing after replying through `res` yourself.
   */
  handler(request: RouteRequest<P, Q, B>, services: S): unknown;
}

/** Declares a route: one schema per request part gives validation, the OpenAPI operation and its permission check. */
export function defineRoute<S = unknown, P = Record<string, string>, Q = Record<string, unknown>, B = undefined>(
  definition: RouteDefinition<S, P, Q, B>,
): RouteDefinition<S, P, Q, B> {
  if (!/^\//.test(definition.path)) throw new Error(`Route path "${definition.path}" must start with /`);
  const permission = definition.permission as unknown;
  const ok =
    (typeof permission === 'string' && permission.length > 0) ||
    (typeof permission === 'object' &&
      permission !== null &&
      ((typeof (permission as { name?: unknown }).name === 'string' && (permission as { name: string }).name.length > 0) ||
        ((permission as { public?: unknown }).public === true &&
          typeof (permission as { reason?: unknown }).reason === 'string' &&
          (permission as { reason: string }).reason.length > 0)));
  if (!ok) {
    throw new Error(`Route ${definition.method.toUpperCase()} ${definition.path} must declare a permission (a name, or { public: true, reason })`);
  }
  return Object.freeze({ ...definition });
}

const DECLARED = Symbol.for('atrium.declaredRoute');

/** The definition behind an Express handler mounted by mountRoutes, or undefined for a plain Express handler. */
export function declaredRouteOf(handler: unknown): RouteDefinition | undefined {
  return typeof handler === 'function' ? (handler as unknown as { [DECLARED]?: RouteDefinition })[DECLARED] : undefined;
}

/** The permission name a route checks, or undefined for a public route. */
export function routePermissionName(route: RouteDefinition): string | undefined {
  const p = route.permission as RoutePermission;
  if (typeof p === 'string') return p;
  return 'name' in p ? p.name : undefined;
}

/** A copy of the path parameters with each `{*rest}` wildcard (an array of segments) joined with `/`. */
const ANONYMOUS: Caller = { type: 'guest', userEntityRef: 'user:default/guest', ownershipEntityRefs: [], displayName: 'Anonymous' };

function joinWildcards(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in params) {
    const v = params[k];
    out[k] = Array.isArray(v) ? v.join('/') : v;
  }
  return out;
}

/**
 * Express handler for one route: validate params, query, body; check the permission; run the handler.
 * Everything that depends only on the definition (validators, the permission's shape) is settled
 * here, once; a request runs the compiled validators, one caller lookup and one permission check.
 */
function toHandler<S>(route: RouteDefinition<S>, ctx: { auth: AuthService; permissions: PermissionsService }, services: S): RequestHandler {
  const checkParams = route.params ? inputValidator(route.params, 'params') : undefined;
  const checkQuery = route.query ? inputValidator(route.query, 'query') : undefined;
  const checkBody = route.body ? inputValidator(route.body, 'body') : undefined;
  const permission = route.permission as RoutePermission;
  // The name checked (undefined: a public route) and, when the check names a resource, how to find it.
  const permissionName = typeof permission === 'string' ? permission : 'name' in permission ? permission.name : undefined;
  const resourceRefOf = typeof permission === 'object' && 'name' in permission ? permission.resourceRef : undefined;
  const hiddenAs = typeof permission === 'object' && 'name' in permission ? permission.hiddenAs : undefined;
  const hiddenUnless = typeof permission === 'object' && 'name' in permission ? permission.hiddenUnless : undefined;
  const handler: RequestHandler = async (req, res) => {
    const params = checkParams ? checkParams(joinWildcards(req.params)) : { ...req.params };
    const query = checkQuery ? checkQuery({ ...req.query }) : { ...req.query };
    const body = checkBody ? checkBody(req.body ?? {}) : undefined;
    // A public route serves callers who did not sign in (a webhook, a signed callback URL): when
    // sign-in is required and missing they are anonymous here instead of a 401.
    const caller = permissionName === undefined ? await ctx.auth.getCaller(req).catch(() => ANONYMOUS) : await ctx.auth.getCaller(req);
    if (permissionName !== undefined) {
      const resourceRef = resourceRefOf ? await resourceRefOf({ params, query, body }, services) : undefined;
      if (resourceRef && hiddenAs) {
        // The entry check (403 when no target could be allowed), then the target, answered like a missing one.
        await ctx.permissions.assert(caller, { permission: permissionName });
        const decision = await ctx.permissions.authorize(caller, { permission: permissionName, resourceRef });
        if (decision.result !== 'ALLOW') {
          const visible = hiddenUnless && (await ctx.permissions.authorize(caller, { permission: hiddenUnless, resourceRef })).result === 'ALLOW';
          if (!visible && !hiddenUnless) throw hiddenAs({ params, query, body }, resourceRef);
          // A denied change is audited (assert records it), answered 404 when the target is hidden.
          await ctx.permissions.assert(caller, { permission: permissionName, resourceRef }).catch((e: unknown) => {
            throw !visible && e instanceof NotAllowedError ? hiddenAs({ params, query, body }, resourceRef) : e;
          });
        }
      } else await ctx.permissions.assert(caller, resourceRef ? { permission: permissionName, resourceRef } : { permission: permissionName });
    }
    const result = await route.handler({ params, query, body, caller, req, res }, services);
    if (result !== undefined && !res.headersSent) res.status(route.response?.status ?? 200).json(result);
  };
  Object.defineProperty(handler, DECLARED, { value: route });
  return handler;
}

/**
 * Mounts declared routes on a plugin's router, in order. `services` reaches every handler as its
 * second argument. Plain `router.get(...)` routes keep working beside them.
 */
export function mountRoutes<S>(
  ctx: { router: Router; auth: AuthService; permissions: PermissionsService },
  routes: readonly RouteDefinition<S>[],
  services: S,
): void {
  for (const route of routes) ctx.router[route.method](route.path, toHandler(route, ctx, services));
}

/** `/a/:b/{*c}` → `/a/{b}/{c}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/\{\*(\w+)\}/g, '{$1}').replace(/:(\w+)/g, '{$1}');
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function parametersOf(schema: JsonSchema | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      ...(where === 'path' || required.has(name) ? { required: true } : {}),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** The OpenAPI operation of one route (paths relative to the plugin's mount). */
export function routeOperation(route: RouteDefinition): Record<string, unknown> {
  const status = String(route.response?.status ?? 200);
  const responses: Record<string, unknown> = {
    [status]: {
      description: route.response?.description ?? 'OK',
      ...(route.response?.schema ? { content: { [route.response.contentType ?? 'application/json']: { schema: route.response.schema } } } : {}),
    },
  };
  if (route.params || route.query || route.body)
    responses['400'] = { description: 'Invalid request: the details list each offending field', content: errorContent };
  const permission = routePermissionName(route);
  if (permission) responses['403'] = { description: `The caller may not ${permission}`, content: errorContent };
  for (const [code, r] of Object.entries(route.responses ?? {})) {
    responses[code] = { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : { content: errorContent }) };
  }
  const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
  return {
    ...(route.tags ? { tags: route.tags } : {}),
    ...(route.summary ? { summary: route.summary } : {}),
    ...(route.description ? { description: route.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { content: { 'application/json': { schema: route.body } } } } : {}),
    responses,
    'x-atrium-permission': permission ?? { public: true, reason: (route.permission as { reason: string }).reason },
  };
}

/** The OpenAPI paths of a list of routes; `tag` is added to operations that name none. */
export function routesOpenApi(routes: readonly RouteDefinition[], options: { tag?: string } = {}): OpenApiFragment {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const p = openApiPath(route.path);
    const operation = routeOperation(route);
    if (options.tag && !route.tags) operation['tags'] = [options.tag];
    paths[p] = { ...paths[p], [route.method]: operation };
  }
  return { paths };
}
