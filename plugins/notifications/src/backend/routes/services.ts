import { InputError, type AuditService, type Caller, type PermissionsService } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { NotificationsBackendService } from '../notificationsService.js';
import type { StreamRegistry } from './stream.js';

/** What the notifications route handlers use, passed to mountRoutes by setup(). */
export interface NotificationRouteServices {
  service: NotificationsBackendService;
  /** For the second check a handler makes (another recipient's list needs read-others). */
  permissions: PermissionsService;
  audit: AuditService;
  streams: StreamRegistry;
}

/** A user or group ref in its canonical lower-case form; a 400 naming `what` when it does not parse. */
export function canonicalRef(ref: string, what: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch (e) {
    throw new InputError(`Invalid ${what} "${ref}": ${(e as Error).message}`);
  }
}

/** The refs whose notifications are the caller's own: itself and its groups. */
export const ownRefs = (caller: Caller): string[] => caller.ownershipEntityRefs.map((r) => r.toLowerCase());

/** Whose read state and preferences apply: the caller's own ref (a user, the guest, or a service token's group). */
export const readerOf = (caller: Caller): string => caller.userEntityRef.toLowerCase();
