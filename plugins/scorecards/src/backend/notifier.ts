import type { Logger } from '@atrium/backend-plugin-api';
import type { Notification, NotificationsService, SendNotificationRequest } from '@atrium/plugin-notifications/backend';
import type { InitiativeDefinition, ScorecardDefinition } from '../common/index.js';
import { isUnmet, SCORECARD_NOTIFICATION_TOPICS } from '../common/index.js';
import type { ResultRow } from './store.js';

const SOURCE = 'scorecards';
const DEADLINE_SCOPE_PREFIX = 'deadline:';

export interface NotificationSettings {
  /** Outgoing webhook: every new notification is POSTed here as JSON. */
  webhookUrl?: string;
  webhookTimeoutMs: number;
  /** Days before an initiative's deadline at which owners of failing entities are reminded. */
  deadlineReminderDays: number[];
}

/**
 * Sends level drops and deadline reminders through the notifications plugin (when it is
 * installed) and each new one to the configured webhook.
 */
export class Notifier {
  constructor(
    private readonly notifications: NotificationsService | undefined,
    private readonly settings: NotificationSettings,
    private readonly logger: Logger,
  ) {}

  async levelDropped(row: ResultRow, previousLevel: string | null, scorecard: ScorecardDefinition): Promise<void> {
    if (!row.owner) return;
    const title = (id: string | null) => scorecard.levels.find((l) => l.id === id)?.title ?? 'no level';
    await this.send({
      recipients: [row.owner],
      topic: SCORECARD_NOTIFICATION_TOPICS.levelDrop,
      severity: 'high',
      title: `${row.entityRef} dropped to ${title(row.level)} on ${scorecard.title}`,
      description: `${row.entityRef} went from ${title(previousLevel)} to ${title(row.level)}. Failing: ${row.rules
        .filter((r) => isUnmet(r.status))
        .map((r) => r.ruleId)
        .join(', ')}`,
      entityRef: row.entityRef,
      link: `/scorecards/teams/${encodeURIComponent(row.owner)}`,
    });
  }

  /**
   * One reminder per initiative, owner and threshold (e.g. 14, 7 and 1 days before): the scope
   * makes each later call rewrite it with the current count and days left instead of adding one.
   */
  async deadlineNear(initiative: InitiativeDefinition, owner: string, failing: number, daysLeft: number): Promise<void> {
    const threshold = [...this.settings.deadlineReminderDays].sort((a, b) => a - b).find((d) => daysLeft <= d);
    if (threshold === undefined || daysLeft < 0) return;
    await this.send({
      recipients: [owner],
      topic: SCORECARD_NOTIFICATION_TOPICS.deadline,
      severity: daysLeft <= 1 ? 'high' : 'normal',
      title: `${initiative.title}: ${daysLeft} day(s) left`,
      description: `${failing} of your entities do not meet "${initiative.title}" yet; the deadline is ${initiative.deadline}.`,
      link: `/scorecards/teams/${encodeURIComponent(owner)}`,
      scope: `${DEADLINE_SCOPE_PREFIX}${initiative.id}:${owner}:${threshold}`,
    });
  }

  /** Withdraws unread deadline reminders of an initiative for owners not in `stillFailing`. */
  async withdrawDeadlineReminders(initiative: InitiativeDefinition, stillFailing: string[]): Promise<void> {
    await this.notifications?.withdraw({
      source: SOURCE,
      scopePrefix: `${DEADLINE_SCOPE_PREFIX}${initiative.id}:`,
      keepScopePrefixes: stillFailing.map((o) => `${DEADLINE_SCOPE_PREFIX}${initiative.id}:${o}:`),
    });
  }

  /** Sends through the service; a failure is logged, never fails the evaluation. New ones go to the webhook. */
  private async send(n: Omit<SendNotificationRequest, 'source'>): Promise<void> {
    if (!this.notifications) return;
    let created: Notification[];
    try {
      created = (await this.notifications.send({ ...n, source: SOURCE })).notifications.filter((x) => x.created);
    } catch (err) {
      this.logger.warn({ err, topic: n.topic }, 'scorecards: could not send a notification');
      return;
    }
    if (!this.settings.webhookUrl) return;
    for (const { created: _created, ...notification } of created as Array<Notification & { created?: boolean }>) {
      try {
        const res = await fetch(this.settings.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: notification.topic, notification }),
          signal: AbortSignal.timeout(this.settings.webhookTimeoutMs),
        });
        if (!res.ok) this.logger.warn({ status: res.status }, 'scorecards: notification webhook answered with an error');
      } catch (err) {
        this.logger.warn({ err }, 'scorecards: notification webhook failed');
      }
    }
  }
}
