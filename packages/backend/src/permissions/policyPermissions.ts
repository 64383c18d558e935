import {
  NotAllowedError,
  scopesAllow,
  type AuditService,
  type Caller,
  type PermissionDecision,
  type PermissionRequest,
  type PermissionsService,
  type QueryConditions,
} from '@atrium/backend-plugin-api';
import type { PolicyEntity } from './entityConditions.js';
import type { PolicyEvaluator } from './evaluator.js';

/** Finds a catalog entity by ref (the catalog's in-process service), or undefined. */
export type EntityFinder = (ref: string) => Promise<PolicyEntity | undefined>;

/** Work the backend does on its own behalf (a plugin's service identity): never limited by the policy. */
export function isPluginIdentity(caller: Caller): boolean {
  return caller.type === 'service' && caller.userEntityRef.startsWith('plugin:');
}

const NO_POLICY: PermissionDecision = { result: 'ALLOW', reason: 'no permission.policy is configured: everything is allowed' };
const PLUGIN: PermissionDecision = { result: 'ALLOW', reason: "a plugin's own identity is always allowed" };

/**
 * The host's permissions service: token scopes first, then plugin identities (allowed), then
 * the configured policy (or allow-all when there is none). `assert` records each denial in the
 * audit log (`permission.denied`) before throwing 403.
 */
export function createPolicyPermissions(options: { evaluator: PolicyEvaluator | undefined; findEntity: EntityFinder; audit: AuditService }): PermissionsService {
  const { evaluator, findEntity, audit } = options;

  async function target(request: PermissionRequest): Promise<PolicyEntity | undefined> {
    if (request.resource && typeof request.resource === 'object') return request.resource as PolicyEntity;
    if (!request.resourceRef) return undefined;
    try {
      return await findEntity(request.resourceRef);
    } catch {
      return undefined; // Not an entity ref: conditions cannot hold, so only unconditional rules decide.
    }
  }

  const service: PermissionsService = {
    async authorize(caller, request) {
      if (caller.scopes && !scopesAllow(caller.scopes, request.permission)) {
        return { result: 'DENY', reason: `this API token's scopes (${caller.scopes.join(', ') || 'none'}) do not include ${request.permission}` };
      }
      if (isPluginIdentity(caller)) return PLUGIN;
      if (!evaluator) return NO_POLICY;
      const entity = evaluator.needsEntity(caller, request.permission) && evaluator.targetsEntities(request.permission) ? await target(request) : undefined;
      return evaluator.decide(caller, request.permission, entity);
    },
    authorizeMany(caller, requests) {
      return Promise.all(requests.map((request) => service.authorize(caller, request)));
    },
    async assert(caller, request) {
      const decision = await service.authorize(caller, request);
      if (decision.result === 'ALLOW') return;
      await audit.record({
        actor: caller,
        action: 'permission.denied',
        ...(request.resourceRef ? { target: request.resourceRef } : {}),
        outcome: 'denied',
        meta: {
          permission: request.permission,
          reason: decision.reason,
          ...(decision.ruleIndex !== undefined ? { ruleIndex: decision.ruleIndex } : {}),
          ...(decision.ruleId ? { ruleId: decision.ruleId } : {}),
        },
      });
      throw new NotAllowedError(decision.reason ?? `${caller.userEntityRef} may not ${request.permission}`);
    },
    async queryConditions(caller, permission): Promise<QueryConditions> {
      if (caller.scopes && !scopesAllow(caller.scopes, permission)) return { result: 'none' };
      if (isPluginIdentity(caller) || !evaluator) return { result: 'all' };
      return evaluator.queryConditions(caller, permission);
    },
  };
  return service;
}
