import type { AuditService, AuthService, Caller, Logger, PermissionsService } from '@atrium/backend-plugin-api';
import { NotAllowedError } from '@atrium/backend-plugin-api';

const GUEST: Caller = {
  type: 'guest',
  userEntityRef: 'user:default/guest',
  ownershipEntityRefs: ['user:default/guest'],
  displayName: 'Guest',
};

/** For now everyone is the guest; real sign-in replaces this without touching plugins. */
export function createGuestAuth(): AuthService {
  return {
    async getCaller() {
      return GUEST;
    },
    serviceCaller(pluginId) {
      return {
        type: 'service',
        userEntityRef: `plugin:${pluginId}`,
        ownershipEntityRefs: [],
        displayName: `plugin ${pluginId}`,
      };
    },
  };
}

/** For now every request is allowed; a policy slots in here later. */
export function createAllowAllPermissions(): PermissionsService {
  const service: PermissionsService = {
    async authorize() {
      return { result: 'ALLOW' };
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

/** Audit records go to the structured log with `audit: true`, so they can be routed apart. */
export function createLogAudit(logger: Logger): AuditService {
  return {
    record(event) {
      logger.info(
        { audit: true, actor: event.actor.userEntityRef, action: event.action, target: event.target, status: event.status ?? 'succeeded', meta: event.meta },
        `audit: ${event.action}`,
      );
    },
  };
}
