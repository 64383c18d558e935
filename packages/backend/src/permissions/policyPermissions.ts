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

/** Finds catalog entities by ref (the catalog's in-process service), in order; undefined where there is none. */
export type EntityFinder = (refs: string[]) => Promise<Array<PolicyEntity | undefined>>;

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
export function createPolicyPermissions(options: {
  /** The policy, or a function answering the policy in force now (it changes when a Policy entity does). */
  evaluator: PolicyEvaluator | undefined | (() => PolicyEvaluator | undefined);
  findEntities: EntityFinder;
  audit: AuditService;
}): PermissionsService {
  const { findEntities, audit } = options;
  const current = typeof options.evaluator === 'function' ? options.evaluator : () => options.evaluator as PolicyEvaluator | undefined;

  /** Decisions that need no policy rule: token scopes, plugin identities, no policy. */
  function settled(caller: Caller, request: PermissionRequest, evaluator: PolicyEvaluator | undefined): PermissionDecision | undefined {
    if (caller.scopes && !scopesAllow(caller.scopes, request.permission)) {
      return { result: 'DENY', reason: `this API token's scopes (${caller.scopes.join(', ') || 'none'}) do not include ${request.permission}` };
    }
    if (isPluginIdentity(caller)) return PLUGIN;
    if (!evaluator) return NO_POLICY;
    return undefined;
  }

  /** Whether deciding needs the target loaded: a conditional rule applies, and only a ref was given. */
  function needsTarget(ev: PolicyEvaluator, caller: Caller, request: PermissionRequest): boolean {
    return ev.targetsEntities(request.permission) && ev.needsEntity(caller, request.permission);
  }

  const service: PermissionsService = {
    async authorize(caller, request) {
      const [decision] = await service.authorizeMany(caller, [request]);
      return decision ?? { result: 'DENY', reason: 'no decision' };
    },
    // One catalog lookup for all the targets a batch needs (the UI asks about 50 at once).
    async authorizeMany(caller, requests) {
      // One policy for the whole batch, even if a Policy entity changes meanwhile.
      const evaluator = current();
      if (!evaluator) return requests.map((r) => settled(caller, r, evaluator) ?? NO_POLICY);
      const refs = [
        ...new Set(
          requests
            .filter((r) => !settled(caller, r, evaluator) && !r.resource && r.resourceRef && needsTarget(evaluator, caller, r))
            .map((r) => r.resourceRef as string),
        ),
      ];
      const found = new Map<string, PolicyEntity | undefined>();
      if (refs.length > 0) {
        // A ref that names no entity (or a failing lookup) leaves only unconditional rules to decide.
        const entities = await findEntities(refs).catch(() => [] as Array<PolicyEntity | undefined>);
        refs.forEach((ref, i) => found.set(ref, entities[i]));
      }
      return requests.map((r) => {
        const early = settled(caller, r, evaluator);
        if (early) return early;
        const given = r.resource && typeof r.resource === 'object' ? (r.resource as PolicyEntity) : undefined;
        const entity = needsTarget(evaluator, caller, r) ? (given ?? (r.resourceRef ? found.get(r.resourceRef) : undefined)) : undefined;
        return evaluator.decide(caller, r.permission, entity);
      });
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
      const evaluator = current();
      if (isPluginIdentity(caller) || !evaluator) return { result: 'all' };
      return evaluator.queryConditions(caller, permission);
    },
  };
  return service;
}
