import { createServiceRef, InputError } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import { BROADCAST, NOTIFICATION_SEVERITIES, type NotificationsService, type SendNotificationRequest } from '../common/index.js';
import type { EmailSender } from './email.js';
import type { NotificationDraft, NotificationStore } from './store.js';

/** Other plugins send notifications through this service (`deps` or `optionalDeps`). */
export const notificationsServiceRef = createServiceRef<NotificationsService>('notifications.service');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_RECIPIENTS = 1000;

/** Canonical lower-case ref of a user or group; anything else is the producer's bug. */
function recipientRef(ref: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(ref, { defaultKind: 'group' });
  } catch (e) {
    throw new InputError(`notifications: invalid recipient "${ref}": ${(e as Error).message}`);
  }
  const kind = parsed.kind.toLowerCase();
  if (kind !== 'user' && kind !== 'group') throw new InputError(`notifications: recipient "${ref}" is not a user or group`);
  return stringifyEntityRef(parsed).toLowerCase();
}

function text(value: string | undefined, name: string, max: number, required = false): string | null {
  if (value === undefined || value === '') {
    if (required) throw new InputError(`notifications: ${name} is required`);
    return null;
  }
  if (typeof value !== 'string') throw new InputError(`notifications: ${name} must be a string`);
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function drafts(req: SendNotificationRequest): NotificationDraft[] {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(req.source ?? '')) throw new InputError(`notifications: source "${req.source}" is not a plugin id`);
  const severity = req.severity ?? 'normal';
  if (!NOTIFICATION_SEVERITIES.includes(severity)) throw new InputError(`notifications: severity "${severity}" is not one of ${NOTIFICATION_SEVERITIES.join(', ')}`);
  const recipients = req.recipients === BROADCAST ? [BROADCAST] : [...new Set((req.recipients ?? []).map(recipientRef))];
  if (recipients.length === 0) throw new InputError('notifications: no recipients (give entity refs or "broadcast")');
  if (recipients.length > MAX_RECIPIENTS) throw new InputError(`notifications: at most ${MAX_RECIPIENTS} recipients per send`);
  const base = {
    source: req.source,
    topic: text(req.topic, 'topic', 200, true)!,
    title: text(req.title, 'title', 500, true)!,
    description: text(req.description, 'description', 10_000),
    link: text(req.link, 'link', 2000),
    severity,
    entityRef: req.entityRef ? req.entityRef.toLowerCase() : null,
    scope: text(req.scope, 'scope', 500),
  };
  return recipients.map((recipient) => ({ ...base, recipient }));
}

export function createNotificationsService(store: NotificationStore, email: EmailSender): NotificationsService {
  return {
    sendEmail: (req) => email.send(req),
    get emailEnabled() {
      return email.enabled;
    },
    async send(req) {
      return { notifications: await store.upsert(drafts(req), new Date()) };
    },
    async withdraw(req) {
      if (!req.scopePrefix) throw new InputError('notifications: withdraw needs a scopePrefix');
      return store.withdraw(req.source, req.scopePrefix, req.keepScopePrefixes ?? [], req.unreadOnly ?? true);
    },
    list: (options) => store.list(options),
    unreadCount: (recipients) => store.unreadCount(recipients),
    async markRead(id, recipients, now = new Date()) {
      return UUID.test(id) ? store.markRead(id, recipients, now) : false;
    },
    markAllRead: (recipients, now = new Date()) => store.markAllRead(recipients, now),
  };
}
