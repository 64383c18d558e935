import { Router } from 'express';
import {
  defineRoute,
  InputError,
  mountRoutes,
  routesOpenApi,
  type AuthService,
  type PermissionDecision,
  type PermissionsService,
  type RouteDefinition,
} from '@atrium/backend-plugin-api';
import type { PermissionEngine } from './permissionEngine.js';

interface Services {
  engine: PermissionEngine;
  permissions: PermissionsService;
  /** The origins whose User and Group entities confer membership (the host auth module's). */
  trustedOrigins: ReadonlySet<string>;
}

const permissionName = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[a-z][a-z0-9.-]*$' };
const resourceRef = { type: 'string', minLength: 1, maxLength: 1000 };

const decisionSchema = {
  type: 'object',
  properties: {
    permission: { type: 'string' },
    resourceRef: { type: 'string' },
    decision: { enum: ['allow', 'deny'] },
    conditional: { type: 'boolean', description: 'Allowed for some targets only (the request named none)' },
    reason: { type: 'string' },
    ruleIndex: { type: 'integer', description: '0-based index into permission.policy.rules' },
    ruleId: { type: 'string' },
  },
};

function view(request: { permission: string; resourceRef?: string }, d: PermissionDecision) {
  return {
    permission: request.permission,
    ...(request.resourceRef ? { resourceRef: request.resourceRef } : {}),
    decision: d.result === 'ALLOW' ? 'allow' : 'deny',
    ...(d.conditional ? { conditional: true } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.ruleIndex !== undefined ? { ruleIndex: d.ruleIndex } : {}),
    ...(d.ruleId ? { ruleId: d.ruleId } : {}),
  };
}

const catalogueRoute = defineRoute<Services>({
  method: 'get',
  path: '/catalogue',
  permission: 'permission.catalogue.read',
  summary: 'Every permission the host and the installed plugins check',
  response: {
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              description: { type: 'string' },
              resourceType: { type: 'string' },
              action: { type: 'string' },
              declaredBy: { type: 'string' },
            },
          },
        },
      },
    },
  },
  handler: (_request, { engine }) => ({ items: engine.catalogue.list() }),
});

interface AuthorizeBody {
  items: Array<{ permission: string; resourceRef?: string }>;
}

const authorizeRoute = defineRoute<Services, Record<string, string>, Record<string, unknown>, AuthorizeBody>({
  method: 'post',
  path: '/authorize',
  permission: { public: true, reason: 'answers only what the caller itself may do (the UI hides the actions it may not)' },
  summary: 'Decisions for the caller, up to 100 at once',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['items'],
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        items: { type: 'object', additionalProperties: false, required: ['permission'], properties: { permission: permissionName, resourceRef } },
      },
    },
  },
  response: { schema: { type: 'object', properties: { items: { type: 'array', items: decisionSchema } } } },
  handler: async ({ body, caller }, { permissions }) => {
    const decisions = await permissions.authorizeMany(caller, body.items);
    return { items: body.items.map((item, i) => view(item, decisions[i] ?? { result: 'DENY', reason: 'no decision' })) };
  },
});

interface ExplainBody {
  user: string;
  /** Omitted: every permission in the catalogue, without a target (an admin page's overview of a user). */
  permission?: string;
  resourceRef?: string;
}

const explainRoute = defineRoute<Services, Record<string, string>, Record<string, unknown>, ExplainBody>({
  method: 'post',
  path: '/explain',
  permission: 'permission.explain',
  summary: 'What a user may do, and the policy rule that decides it',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['user'],
    properties: {
      user: { type: 'string', minLength: 1, maxLength: 300, description: 'user:default/<name>, or guest' },
      permission: { ...permissionName, description: 'Omitted: every permission in the catalogue (then `items`), without a target' },
      resourceRef,
    },
  },
  response: {
    schema: {
      type: 'object',
      properties: {
        ...decisionSchema.properties,
        user: { type: 'string' },
        ownershipEntityRefs: { type: 'array', items: { type: 'string' } },
        roles: { type: 'array', items: { type: 'string' } },
        rule: { type: 'string', description: 'The deciding rule, as text' },
        items: { type: 'array', description: 'Without `permission`: one decision (with `rule`) per catalogue permission', items: decisionSchema },
      },
    },
  },
  responses: { '404': { description: 'No such user in the catalog' } },
  handler: async ({ body }, { engine, permissions, trustedOrigins }) => {
    if (body.permission !== undefined && !engine.catalogue.get(body.permission)) {
      throw new InputError(`Unknown permission ${body.permission}; GET /api/permissions/catalogue lists them`);
    }
    if (body.permission === undefined && body.resourceRef !== undefined) throw new InputError('resourceRef needs a permission');
    const subject = await engine.callerFor(body.user, trustedOrigins);
    const requests =
      body.permission !== undefined
        ? [{ permission: body.permission, ...(body.resourceRef ? { resourceRef: body.resourceRef } : {}) }]
        : engine.catalogue.list().map(({ name }) => ({ permission: name }));
    const decisions = await permissions.authorizeMany(subject, requests);
    const explained = requests.map((request, i) => {
      const decision = decisions[i] ?? { result: 'DENY' as const, reason: 'no decision' };
      const rule = decision.ruleIndex !== undefined ? engine.evaluator?.ruleText(decision.ruleIndex) : undefined;
      return { ...view(request, decision), ...(rule ? { rule } : {}) };
    });
    return {
      user: subject.userEntityRef,
      ownershipEntityRefs: subject.ownershipEntityRefs,
      roles: engine.evaluator ? [...engine.evaluator.callerRoles(subject)] : [],
      ...(body.permission !== undefined ? explained[0] : { items: explained }),
    };
  },
});

const policiesRoute = defineRoute<Services>({
  method: 'get',
  path: '/policies',
  permission: 'permission.explain',
  summary: 'The Policy entities seen in the catalog and what became of each (in force, refused with the error, ignored as untrusted)',
  response: {
    schema: {
      type: 'object',
      properties: {
        trustedLocations: { type: 'array', items: { type: 'string' } },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              entityRef: { type: 'string' },
              status: { enum: ['active', 'rejected', 'ignored'] },
              origin: { type: ['string', 'null'] },
              error: { type: 'string' },
              lastGoodInForce: { type: 'boolean' },
              rules: { type: 'integer' },
              loadedAt: { type: 'string' },
            },
          },
        },
      },
    },
  },
  handler: (_request, { engine }) => ({ trustedLocations: [...engine.trustedPolicyOrigins], items: engine.policySources() }),
});

export const permissionRoutes: readonly RouteDefinition<Services>[] = [
  catalogueRoute,
  authorizeRoute,
  explainRoute,
  policiesRoute,
] as RouteDefinition<Services>[];

/** `/api/permissions`: the catalogue, the caller's batch check and explain. */
export function permissionsRouter(deps: {
  auth: AuthService;
  permissions: PermissionsService;
  engine: PermissionEngine;
  trustedOrigins: ReadonlySet<string>;
}): Router {
  const router = Router();
  mountRoutes({ router, auth: deps.auth, permissions: deps.permissions }, permissionRoutes, {
    engine: deps.engine,
    permissions: deps.permissions,
    trustedOrigins: deps.trustedOrigins,
  });
  return router;
}

/** The OpenAPI paths of `/api/permissions` (merged into /api/openapi.json). */
export const permissionsOpenApi = routesOpenApi(permissionRoutes as readonly RouteDefinition[], { tag: 'permissions' });
