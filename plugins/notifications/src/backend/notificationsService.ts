import { createServiceRef, InputError, validateInput, type EventsService, type Logger } from '@atrium/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@atrium/catalog-model';
import type { Knex } from 'knex';
import {
  BROADCAST,
  DEFAULT_CHANNEL_SETTINGS,
  NOTIFICATION_SEVERITIES,
  notificationsChanged,
  type NotificationPreferences,
  type NotificationsService,
  type PreferenceRule,
  type ReadStateOptions,
  type SendNotificationRequest,
} from '../common/index.js';
import type { Deliverer } from './deliveries.js';
import type { EmailSender } from './email.js';
import { preferencesSchema } from './schemas.js';
import { checkSlackWebhookUrl, type SlackSettings } from './slack.js';
import type { InAppFilter, NotificationDraft, NotificationStore } from './store.js';

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
  if (!NOTIFICATION_SEVERITIES.includes(severity))
    throw new InputError(`notifications: severity "${severity}" is not one of ${NOTIFICATION_SEVERITIES.join(', ')}`);
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

/** Everything the service needs; built once by the plugin's setup(). */
export interface NotificationsServiceOptions {
  store: NotificationStore;
  email: EmailSender;
  deliverer: Deliverer;
  events: EventsService;
  slack: SlackSettings;
  logger: Logger;
}

const defaultPreferences = (): NotificationPreferences => ({ defaults: { ...DEFAULT_CHANNEL_SETTINGS }, rules: [] });

/** Stored preferences, checked again on the way out (a row written by an older version still reads). */
export function parsePreferences(stored: unknown): NotificationPreferences {
  if (!stored) return defaultPreferences();
  try {
    return normalizePreferences(validateInput<NotificationPreferences>(preferencesSchema, stored, 'body'));
  } catch {
    return defaultPreferences();
  }
}

/** One rule per source and topic (the last one given wins), sources and topics as given. */
function normalizePreferences(p: NotificationPreferences): NotificationPreferences {
  const rules = new Map<string, PreferenceRule>();
  for (const r of p.rules)
    rules.set(`${r.source}\u0000${r.topic ?? ''}`, {
      source: r.source,
      ...(r.topic ? { topic: r.topic } : {}),
      inApp: r.inApp,
      email: r.email,
      slack: r.slack,
    });
  const { inApp, email, slack } = p.defaults;
  return { defaults: { inApp, email, slack }, rules: [...rules.values()], ...(p.slackWebhookUrl ? { slackWebhookUrl: p.slackWebhookUrl } : {}) };
}

/**
 * The SQL condition that hides, for one reader, what its preferences turned off in-app: the
 * most specific rule (source and topic, then source) decides, else the defaults. Only
 * sources and topics are bound; the booleans are written as SQL literals.
 */
export function inAppFilter(p: NotificationPreferences): InAppFilter | undefined {
  if (p.defaults.inApp && p.rules.every((r) => r.inApp)) return undefined;
  const bindings: string[] = [];
  let sql = 'case';
  for (const r of p.rules.filter((x) => x.topic)) {
    sql += ` when n.source = ? and n.topic = ? then ${r.inApp ? 'true' : 'false'}`;
    bindings.push(r.source, r.topic!);
  }
  for (const r of p.rules.filter((x) => !x.topic)) {
    sql += ` when n.source = ? then ${r.inApp ? 'true' : 'false'}`;
    bindings.push(r.source);
  }
  sql += ` else ${p.defaults.inApp ? 'true' : 'false'} end`;
  return { sql: `(${sql})`, bindings };
}

/** How a read-state change is made by this plugin's own routes. */
export interface ReadStateChange extends ReadStateOptions {
  /**
   * Runs in the change's transaction, after it (the route's audit record: `audit.record(event, { trx })`),
   * with how many notifications it concerns; a rejection rolls the change back. markRead calls it
   * whenever the notification is found, read already or not.
   */
  inTransaction?: (trx: Knex.Transaction, count: number) => Promise<void>;
}

/** The service as the plugin's routes use it: read-state changes take {@link ReadStateChange}. */
export interface NotificationsBackendService extends NotificationsService {
  markRead(id: string, recipients: string[], options?: ReadStateChange): Promise<boolean>;
  markAllRead(recipients: string[], options?: ReadStateChange): Promise<number>;
}

export function createNotificationsService(o: NotificationsServiceOptions): NotificationsBackendService {
  const { store, email, deliverer, events, logger } = o;
  const changed = (recipients: string[]) => {
    if (recipients.length === 0) return;
    events
      .publish(notificationsChanged, { recipients: [...new Set(recipients)] })
      .catch((err: unknown) => logger.warn({ err }, 'notifications: publishing a change failed'));
  };
  const hiddenFor = async (reader: string | undefined) => (reader ? inAppFilter(parsePreferences(await store.getPreferences(reader))) : undefined);

  return {
    sendEmail: (req) => email.send(req),
    get emailEnabled() {
      return email.enabled;
    },
    async send(req) {
      const notifications = await store.upsert(drafts(req), new Date());
      changed(notifications.map((n) => n.recipient));
      // Email, Slack and digest rows are queued before send resolves; sending them does not hold it up.
      const created = notifications.filter((n) => n.created);
      if (created.length) {
        try {
          const now = await deliverer.queue(created);
          if (now.length) void deliverer.sendPending(now);
        } catch (err) {
          logger.error({ err }, 'notifications: queueing email/Slack deliveries failed (the notifications are stored)');
        }
      }
      return { notifications };
    },
    async withdraw(req) {
      if (!req.scopePrefix) throw new InputError('notifications: withdraw needs a scopePrefix');
      const removed = await store.withdraw(req.source, req.scopePrefix, req.keepScopePrefixes ?? [], req.unreadOnly ?? true);
      changed(removed);
      return removed.length;
    },
    async list(options) {
      return store.list({ ...options, hidden: await hiddenFor(options.reader) });
    },
    async unreadCount(recipients, options = {}) {
      return store.unreadCount(recipients, options.reader, await hiddenFor(options.reader));
    },
    async markRead(id, recipients, options = {}) {
      if (!UUID.test(id)) return false;
      const inTransaction = options.inTransaction;
      const r = await store.markRead(id, recipients, options.reader, options.now ?? new Date(), inTransaction && ((trx) => inTransaction(trx, 1)));
      if (r.changed) changed(options.reader ? [options.reader] : recipients);
      return r.found;
    },
    async markAllRead(recipients, options = {}) {
      const n = await store.markAllRead(recipients, options.reader, options.now ?? new Date(), options.inTransaction);
      if (n > 0) changed(options.reader ? [options.reader] : recipients);
      return n;
    },
    async getPreferences(userRef) {
      return parsePreferences(await store.getPreferences(userRef.toLowerCase()));
    },
    async setPreferences(userRef, preferences) {
      const prefs = normalizePreferences(validateInput<NotificationPreferences>(preferencesSchema, preferences, 'body'));
      if (prefs.slackWebhookUrl) await checkSlackWebhookUrl(prefs.slackWebhookUrl, o.slack);
      const user = userRef.toLowerCase();
      await store.setPreferences(user, prefs, new Date());
      changed([user]);
      return prefs;
    },
    sendDigests: () => deliverer.sendDigests(),
  };
}
