import { NotAllowedError } from '../errors.js';
import type { Caller, PermissionDecision, PermissionRequest, PermissionsService } from '../services.js';

/** Whether a token's scopes cover a permission: `read` covers every `*.read`, otherwise by name. */
export function scopesAllow(scopes: readonly string[], permission: string): boolean {
  return scopes.some((scope) => scope === permission || (scope === 'read' && permission.endsWith('.read')));
}

/**
 * A permissions service from a policy: `assert` throws NotAllowedError (403) on DENY, with the
 * policy's reason or `<caller> may not <permission>`. A caller with token scopes is denied
 * anything outside them before the policy is asked. Override `coreServices.permissions` with one.
 */
export function createPermissions(
  policy: (caller: Caller, request: PermissionRequest) => PermissionDecision | Promise<PermissionDecision>,
): PermissionsService {
  const service: PermissionsService = {
    async authorize(caller, request) {
      if (caller.scopes && !scopesAllow(caller.scopes, request.permission)) {
        return { result: 'DENY', reason: `this API token's scopes (${caller.scopes.join(', ') || 'none'}) do not include ${request.permission}` };
      }
      return policy(caller, request);
    },
    authorizeMany(caller, requests) {
      return Promise.all(requests.map((request) => service.authorize(caller, request)));
    },
    async queryConditions(caller, permission) {
      // A policy function sees one request at a time: without a target it allows all or nothing.
      const decision = await service.authorize(caller, { permission });
      return decision.result === 'ALLOW' ? { result: 'all' } : { result: 'none' };
    },
    async assert(caller, request) {
      const decision = await service.authorize(caller, request);
      if (decision.result === 'DENY') {
        throw new NotAllowedError(decision.reason ?? `${caller.userEntityRef} may not ${request.permission}`);
      }
    },
  };
  return service;
}

/** The default `permissions`: every request is allowed until a policy is configured. */
export function createAllowAllPermissions(): PermissionsService {
  return createPermissions(() => ({ result: 'ALLOW' }));
}
