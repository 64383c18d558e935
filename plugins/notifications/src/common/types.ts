import { defineEventTopic } from '@atrium/backend-plugin-api/eventTopics';

/** How urgent a notification is; the page and the bell order and colour by it. */
export const NOTIFICATION_SEVERITIES = ['low', 'normal', 'high', 'critical'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];

/** Everyone: a broadcast reaches every caller. */
export const BROADCAST = 'broadcast';

/** One notification as one recipient (an entity ref, or `broadcast`) sees it. */
export interface Notification {
  id: string;
  /** Lower-case entity ref of a user or group, or `broadcast`. */
  recipient: string;
  /** The plugin that sent it, e.g. `scorecards`. */
  source: string;
  /** What it is about within the source, e.g. `scorecards.level-drop`. */
  topic: string;
  title: string;
  description?: string;
  /** An http(s) URL or an app path such as `/catalog/default/component/x`. */
  link?: string;
  severity: NotificationSeverity;
  /** The entity it concerns, when there is one. */
  entityRef?: string;
  /** Replace-or-update key within the source (see SendNotificationRequest.scope). */
  scope?: string;
  createdAt: string;
  updatedAt: string;
  readAt?: string;
}

/** What a producer hands NotificationsService.send. */
export interface SendNotificationRequest {
  /** Users or groups (entity refs), or `broadcast` for everyone. */
  recipients: string[] | typeof BROADCAST;
  /** The sending plugin's id. */
  source: string;
  topic: string;
  title: string;
  description?: string;
  link?: string;
  severity?: NotificationSeverity;
  entityRef?: string;
  /**
   * Replace-or-update key: a second send with the same source, scope and recipient rewrites that
   * notification (title, text, link, severity) instead of adding one; its read state is kept.
   */
  scope?: string;
}

export interface SendNotificationResult {
  /** One per recipient: newly created or rewritten. */
  notifications: Array<Notification & { created: boolean }>;
}

/** Removes notifications a source no longer stands by (e.g. a reminder with nothing left to fix). */
export interface WithdrawNotificationsRequest {
  source: string;
  /** Notifications whose scope starts with this. */
  scopePrefix: string;
  /** …except those whose scope starts with one of these. */
  keepScopePrefixes?: string[];
  /** Only unread ones (default true): what someone read stays in their history. */
  unreadOnly?: boolean;
}

export interface ListNotificationsOptions {
  /** Recipient refs whose notifications to list (broadcasts are always included). */
  recipients: string[];
  /**
   * The user reading (`user:default/alice`): group notifications and broadcasts are read or
   * unread per reader, and the reader's in-app preferences hide what they turned off. Without
   * it, read state is the row's own (shared by every reader) and nothing is hidden.
   */
  reader?: string;
  unread?: boolean;
  source?: string;
  entityRef?: string;
  limit?: number;
  offset?: number;
}

export interface NotificationList {
  items: Notification[];
  totalCount: number;
  unreadCount: number;
}

/** An email for `NotificationsService.sendEmail` (other plugins' "email" actions use it). */
export interface SendEmailRequest {
  /** Plain addresses (`someone@example.com`), at most 100; duplicates are sent once. */
  to: string[];
  /** One line, at most 500 characters. */
  subject: string;
  text: string;
  /** An HTML alternative; the sender is responsible for escaping what it puts in. */
  html?: string;
}

export interface SendEmailResult {
  /** The Message-ID header of the sent mail. */
  messageId: string;
  /** Addresses the SMTP server took. */
  accepted: string[];
  /** Addresses the SMTP server refused (the others were still sent). */
  rejected: string[];
}

/** In-process API of the notifications plugin (`notificationsServiceRef`). */
export interface NotificationsService {
  /**
   * Sends an email through the SMTP server in `notifications.email`. Rejects with a
   * ServiceUnavailableError (503) when email is not configured or the server does not take the
   * mail, with an InputError (400) for a bad address, subject or body.
   */
  sendEmail(request: SendEmailRequest): Promise<SendEmailResult>;
  /** Whether `notifications.email` is configured (sendEmail can succeed). */
  readonly emailEnabled: boolean;
  send(request: SendNotificationRequest): Promise<SendNotificationResult>;
  withdraw(request: WithdrawNotificationsRequest): Promise<number>;
  list(options: ListNotificationsOptions): Promise<NotificationList>;
  unreadCount(recipients: string[], options?: ReadStateOptions): Promise<number>;
  /** Marks one read when it is addressed to one of `recipients` (or is a broadcast); false when not found. */
  markRead(id: string, recipients: string[], options?: ReadStateOptions): Promise<boolean>;
  markAllRead(recipients: string[], options?: ReadStateOptions): Promise<number>;
  /** A user's preferences (the defaults when they never saved any). */
  getPreferences(userRef: string): Promise<NotificationPreferences>;
  /** Replaces a user's preferences (checked: a Slack URL must pass the outbound guard). */
  setPreferences(userRef: string, preferences: NotificationPreferences): Promise<NotificationPreferences>;
  /** Sends the pending daily digests now (what the scheduled job does); resolves with how many emails went out. */
  sendDigests(): Promise<number>;
}

export interface ReadStateOptions {
  /** The user reading: see ListNotificationsOptions.reader. */
  reader?: string;
  now?: Date;
}

/** How a notification reaches a user by email: not at all, at once, or in the daily digest. */
export const EMAIL_MODES = ['off', 'immediate', 'digest'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

/** Where notifications of one kind go for one user. */
export interface ChannelSettings {
  /** Shown on the page and counted by the bell. */
  inApp: boolean;
  /** `digest`: low-severity ones wait for the daily digest; the others are sent at once. */
  email: EmailMode;
  /** Posted to the user's Slack incoming webhook (slackWebhookUrl). */
  slack: boolean;
}

/** Settings for one source, or one topic of a source (the most specific rule wins). */
export interface PreferenceRule extends ChannelSettings {
  source: string;
  topic?: string;
}

/** One user's notification preferences. */
export interface NotificationPreferences {
  /** For every notification no rule names. */
  defaults: ChannelSettings;
  rules: PreferenceRule[];
  /** The user's Slack (or compatible) incoming webhook URL; https, public hosts only. */
  slackWebhookUrl?: string;
}

export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = Object.freeze({ inApp: true, email: 'off', slack: false });

/** The settings that apply to a notification of `source` and `topic` under `prefs`. */
export function channelSettingsFor(prefs: NotificationPreferences, source: string, topic: string): ChannelSettings {
  const pick = ({ inApp, email, slack }: ChannelSettings): ChannelSettings => ({ inApp, email, slack });
  const exact = prefs.rules.find((r) => r.source === source && r.topic === topic);
  if (exact) return pick(exact);
  const bySource = prefs.rules.find((r) => r.source === source && !r.topic);
  return pick(bySource ?? prefs.defaults);
}

/**
 * Published (on every replica, through ctx.events) when what some recipients see changed: a
 * notification sent, rewritten or withdrawn, or read state or preferences changed. `recipients`
 * are lower-case user or group refs, or `broadcast`; open streams of callers owning one of them
 * recount.
 */
export const notificationsChanged = defineEventTopic<{ recipients: string[] }>('notifications.changed');
