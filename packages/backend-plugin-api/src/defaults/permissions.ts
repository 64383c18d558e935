import { NotAllowedError } from '../errors.js';
import type { Caller, PermissionDecision, PermissionRequest, PermissionsService } from '../services.js';

/**
 * A permissions service from a policy: `assert` throws NotAllowedError (403) on DENY, with the
 * policy's reason or `<caller> may not <permission>`. Override `coreServices.permissions` with one.
 */
export function createPermissions(policy: (caller: Caller, request: PermissionRequest) => PermissionDecision | Promise<PermissionDecision>): PermissionsService {
  const service: PermissionsService = {
    async authorize(caller, request) {
      return policy(caller, request);
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
