import { InputError, NotFoundError, validateInput, type AuditService, type AuthService, type Caller, type PermissionsService } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { Request, Router } from 'express';
import type { NotificationsService } from '../common/index.js';
import { idParamsSchema, listQuerySchema } from './schemas.js';

export interface RouteContext {
  service: NotificationsService;
  auth: AuthService;
  permissions: PermissionsService;
  audit: AuditService;
}

/** Permissions the routes check (the policy decides; today it allows all). */
export const NOTIFICATION_PERMISSIONS = {
  read: 'notifications.notification.read',
  readOthers: 'notifications.notification.read-others',
  update: 'notifications.notification.update',
} as const;

interface ListQuery {
  unread: boolean;
  source?: string;
  entityRef?: string;
  recipient?: string;
  limit: number;
  offset: number;
}

const canonical = (ref: string, what: string) => {
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch (e) {
    throw new InputError(`Invalid ${what} "${ref}": ${(e as Error).message}`);
  }
};
const ownRefs = (caller: Caller) => caller.ownershipEntityRefs.map((r) => r.toLowerCase());

export function registerRoutes(router: Router, ctx: RouteContext): void {
  const { service, auth, permissions, audit } = ctx;
  const caller = async (req: Request, permission: string) => {
    const c = await auth.getCaller(req);
    await permissions.assert(c, { permission });
    return c;
  };

  router.get('/', async (req, res) => {
    const c = await caller(req, NOTIFICATION_PERMISSIONS.read);
    const q = validateInput<ListQuery>(listQuerySchema, { ...req.query }, 'query');
    let recipients = ownRefs(c);
    if (q.recipient) {
      const ref = canonical(q.recipient, 'recipient');
      // Someone else's (e.g. a team page for a team one is not in) is a separate permission.
      if (!recipients.includes(ref)) await permissions.assert(c, { permission: NOTIFICATION_PERMISSIONS.readOthers, resourceRef: ref });
      recipients = [ref];
    }
    res.json(
      await service.list({
        recipients,
        unread: q.unread,
        ...(q.source ? { source: q.source } : {}),
        ...(q.entityRef ? { entityRef: canonical(q.entityRef, 'entityRef') } : {}),
        limit: q.limit,
        offset: q.offset,
      }),
    );
  });

  router.get('/unread-count', async (req, res) => {
    const c = await caller(req, NOTIFICATION_PERMISSIONS.read);
    res.json({ count: await service.unreadCount(ownRefs(c)) });
  });

  router.post('/read-all', async (req, res) => {
    const c = await caller(req, NOTIFICATION_PERMISSIONS.update);
    const updated = await service.markAllRead(ownRefs(c));
    audit.record({ actor: c, action: 'notifications.read-all', meta: { updated } });
    res.json({ updated });
  });

  router.post('/:id/read', async (req, res) => {
    const c = await caller(req, NOTIFICATION_PERMISSIONS.update);
    const { id } = validateInput<{ id: string }>(idParamsSchema, { ...req.params }, 'params');
    if (!(await service.markRead(id, ownRefs(c)))) throw new NotFoundError(`No notification "${id}" for ${c.userEntityRef}`);
    audit.record({ actor: c, action: 'notifications.read', target: id });
    res.status(204).end();
  });
}
