import type { Logger } from '@atrium/backend-plugin-api';
import type { InitiativeDefinition, ScorecardDefinition, ScorecardNotification } from '../common/index.js';
import { isUnmet } from '../common/index.js';
import type { ResultRow, ScorecardStore } from './store.js';

const DEADLINE_KEY_PREFIX = 'deadline:';

export interface NotificationSettings {
  /** Outgoing webhook: every new notification is POSTed here as JSON. */
  webhookUrl?: string;
  webhookTimeoutMs: number;
  /** Days before an initiative's deadline at which owners of failing entities are reminded. */
  deadlineReminderDays: number[];
}

/** Writes in-app notifications (per owner) and sends each new one to the configured webhook. */
export class Notifier {
  constructor(
    private readonly store: ScorecardStore,
    private readonly settings: NotificationSettings,
    private readonly logger: Logger,
  ) {}

  async levelDropped(row: ResultRow, previousLevel: string | null, scorecard: ScorecardDefinition): Promise<void> {
    if (!row.owner) return;
    const title = (id: string | null) => scorecard.levels.find((l) => l.id === id)?.title ?? 'no level';
    await this.send(
      {
        recipient: row.owner,
        kind: 'level-drop',
        title: `${row.entityRef} dropped to ${title(row.level)} on ${scorecard.title}`,
        message: `${row.entityRef} went from ${title(previousLevel)} to ${title(row.level)}. Failing: ${row.rules
          .filter((r) => isUnmet(r.status))
          .map((r) => r.ruleId)
          .join(', ')}`,
        entityRef: row.entityRef,
      },
      null,
    );
  }

  /**
   * One reminder per initiative, owner and threshold (e.g. 14, 7 and 1 days before), sent once;
   * each later call rewrites its text with the current count and days left.
   */
  async deadlineNear(initiative: InitiativeDefinition, owner: string, failing: number, daysLeft: number, now: Date): Promise<void> {
    const threshold = [...this.settings.deadlineReminderDays].sort((a, b) => a - b).find((d) => daysLeft <= d);
    if (threshold === undefined || daysLeft < 0) return;
    await this.send(
      {
        recipient: owner,
        kind: 'deadline',
        title: `${initiative.title}: ${daysLeft} day(s) left`,
        message: `${failing} of your entities do not meet "${initiative.title}" yet; the deadline is ${initiative.deadline}.`,
        entityRef: null,
      },
      `${DEADLINE_KEY_PREFIX}${initiative.id}:${owner}:${threshold}`,
      now,
      true,
    );
  }

  /** Removes unread deadline reminders of an initiative for owners not in `stillFailing`. */
  async withdrawDeadlineReminders(initiative: InitiativeDefinition, stillFailing: string[]): Promise<void> {
    await this.store.deleteUnreadNotifications(`${DEADLINE_KEY_PREFIX}${initiative.id}:`, stillFailing.map((o) => `${DEADLINE_KEY_PREFIX}${initiative.id}:${o}:`));
  }

  /** Stores a notification (or, with `refresh`, updates the one with the same key) and sends new ones to the webhook. */
  private async send(n: Omit<ScorecardNotification, 'id' | 'createdAt' | 'readAt'>, dedupeKey: string | null, now = new Date(), refresh = false): Promise<void> {
    const stored = await this.store.addNotification(n, dedupeKey, now);
    if (!stored && refresh && dedupeKey) await this.store.updateNotification(dedupeKey, { title: n.title, message: n.message });
    if (!stored || !this.settings.webhookUrl) return;
    try {
      const res = await fetch(this.settings.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: `scorecards.${stored.kind}`, notification: stored }),
        signal: AbortSignal.timeout(this.settings.webhookTimeoutMs),
      });
      if (!res.ok) this.logger.warn({ status: res.status }, 'scorecards: notification webhook answered with an error');
    } catch (err) {
      this.logger.warn({ err }, 'scorecards: notification webhook failed');
    }
  }
}
