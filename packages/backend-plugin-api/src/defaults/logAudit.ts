import type { AuditService, Logger } from '../services.js';

/** The default `audit`: records go to the structured log with `audit: true`, so they can be routed apart. */
export function createLogAudit(logger: Logger): AuditService {
  return {
    record(event) {
      logger.info(
        {
          audit: true,
          actor: event.actor.userEntityRef,
          action: event.action,
          target: event.target,
          outcome: event.outcome ?? event.status ?? 'succeeded',
          requestId: event.requestId,
          meta: event.meta,
        },
        `audit: ${event.action}`,
      );
    },
  };
}
