import type { Logger } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { CatalogService } from '@atrium/plugin-catalog/common';
import { BROADCAST, channelSettingsFor, type Notification, type NotificationPreferences } from '../common/index.js';
import type { EmailSender } from './email.js';
import { isEmailAddress } from './email.js';
import { postToSlack, type SlackSettings } from './slack.js';
import type { DeliveryChannel, DeliveryRow, NotificationStore } from './store.js';

export interface DeliverySettings {
  /** A claimed delivery not finished after this long is taken again (its replica died). */
  staleSeconds: number;
  /** Give up (status failed) after this many attempts. */
  maxAttempts: number;
}

/** How far down child groups (parentOf) a group recipient is expanded. */
const MAX_GROUP_DEPTH = 4;
/** Severities the digest collects when a user chose `digest`; the others go out at once. */
const DIGEST_SEVERITIES = new Set(['low']);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Email, Slack and digest delivery of new notifications to the users who asked for them in
 * their preferences. Every delivery is a row (store `deliveries`) claimed with a conditional
 * UPDATE before it is sent and marked sent after, so with several replicas nothing goes twice;
 * a claim left by a replica that died is taken again after `staleSeconds`.
 */
export class Deliverer {
  constructor(
    private readonly o: {
      store: NotificationStore;
      email: EmailSender;
      slack: SlackSettings;
      settings: DeliverySettings;
      catalog: () => CatalogService | undefined;
      preferencesOf: (userRefs: string[]) => Promise<Map<string, NotificationPreferences>>;
      replicaId: string;
      baseUrl: string;
      logger: Logger;
    },
  ) {}

  /**
   * Queues the deliveries new notifications call for (user and group recipients; broadcasts are
   * in-app only) and returns the ids of those to send at once.
   */
  async queue(created: Notification[]): Promise<string[]> {
    const targeted = created.filter((n) => n.recipient !== BROADCAST);
    if (targeted.length === 0) return [];
    const usersOf = await this.expandRecipients([...new Set(targeted.map((n) => n.recipient))]);
    const allUsers = [...new Set([...usersOf.values()].flat())];
    const prefs = await this.o.preferencesOf(allUsers);
    if (prefs.size === 0) return [];
    const rows: Array<{ notificationId: string; userRef: string; channel: DeliveryChannel }> = [];
    for (const n of targeted) {
      for (const user of usersOf.get(n.recipient) ?? []) {
        const p = prefs.get(user);
        if (!p) continue;
        const c = channelSettingsFor(p, n.source, n.topic);
        if (c.email === 'immediate' || (c.email === 'digest' && !DIGEST_SEVERITIES.has(n.severity)))
          rows.push({ notificationId: n.id, userRef: user, channel: 'email' });
        else if (c.email === 'digest') rows.push({ notificationId: n.id, userRef: user, channel: 'digest' });
        if (c.slack && p.slackWebhookUrl) rows.push({ notificationId: n.id, userRef: user, channel: 'slack' });
      }
    }
    const queued = await this.o.store.queueDeliveries(rows, new Date());
    return queued.filter((d) => d.channel !== 'digest').map((d) => d.id);
  }

  /** User refs per recipient: a user is itself; a group is its members and its child groups' members. */
  private async expandRecipients(recipients: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const groups = recipients.filter((r) => r.startsWith('group:'));
    for (const r of recipients) if (r.startsWith('user:')) out.set(r, [r]);
    if (groups.length === 0) return out;
    const catalog = this.o.catalog();
    if (!catalog) {
      this.o.logger.warn({ groups }, 'notifications: the catalog is not installed, so group recipients get no email or Slack deliveries');
      return out;
    }
    const cache = new Map<string, Entity | undefined>();
    const load = async (refs: string[]) => {
      const missing = refs.filter((r) => !cache.has(r));
      if (missing.length) (await catalog.getEntitiesByRefs(missing)).forEach((e, i) => cache.set(missing[i]!, e));
    };
    const related = (e: Entity | undefined, type: string, kind: string) =>
      (e?.relations ?? []).filter((rel) => rel.type === type && rel.targetRef.toLowerCase().startsWith(`${kind}:`)).map((rel) => rel.targetRef.toLowerCase());
    for (const group of groups) {
      const users = new Set<string>();
      let level = [group];
      const seen = new Set(level);
      for (let depth = 0; depth <= MAX_GROUP_DEPTH && level.length; depth++) {
        await load(level);
        const next: string[] = [];
        for (const g of level) {
          for (const u of related(cache.get(g), 'hasMember', 'user')) users.add(u);
          for (const child of related(cache.get(g), 'parentOf', 'group')) {
            if (seen.has(child)) continue;
            seen.add(child);
            next.push(child);
          }
        }
        level = next;
      }
      out.set(group, [...users]);
    }
    return out;
  }

  /** Sends claimed email and Slack deliveries (the given ids, or every pending one). Never throws. */
  async sendPending(ids?: string[]): Promise<void> {
    for (const channel of ['email', 'slack'] as const) {
      try {
        const claimed = await this.o.store.claimDeliveries(channel, this.o.replicaId, new Date(), { ...this.o.settings, ...(ids ? { ids } : {}) });
        if (claimed.length) await this.sendClaimed(channel, claimed);
      } catch (err) {
        this.o.logger.error({ err, channel }, 'notifications: delivering failed');
      }
    }
  }

  private async sendClaimed(channel: 'email' | 'slack', claimed: DeliveryRow[]): Promise<void> {
    const notifications = new Map((await this.o.store.notificationsByIds([...new Set(claimed.map((d) => d.notificationId))])).map((n) => [n.id, n]));
    const users = [...new Set(claimed.map((d) => d.userRef))];
    const addresses = channel === 'email' ? await this.emailAddresses(users) : new Map<string, string>();
    const prefs = channel === 'slack' ? await this.o.preferencesOf(users) : new Map<string, NotificationPreferences>();
    for (const d of claimed) {
      const n = notifications.get(d.notificationId);
      const finish = (status: 'sent' | 'failed' | 'pending' | 'skipped', error?: string) =>
        this.o.store.finishDeliveries([d.id], this.o.replicaId, { status, ...(error ? { error } : {}) }, new Date());
      if (!n) {
        await finish('skipped', 'the notification is gone');
        continue;
      }
      try {
        if (channel === 'email') {
          const to = addresses.get(d.userRef);
          if (!to) {
            await finish('skipped', `${d.userRef} has no email address (spec.profile.email) in the catalog`);
            continue;
          }
          if (!this.o.email.enabled) {
            await finish('skipped', 'email is not configured (notifications.email)');
            continue;
          }
          await this.o.email.send({ to: [to], ...this.emailOf(n) });
        } else {
          const url = prefs.get(d.userRef)?.slackWebhookUrl;
          if (!url) {
            await finish('skipped', 'no Slack webhook URL in the preferences');
            continue;
          }
          await postToSlack(url, this.slackTextOf(n), this.o.slack);
        }
        await finish('sent');
      } catch (err) {
        const message = (err as Error).message;
        const last = d.attempts >= this.o.settings.maxAttempts;
        this.o.logger.warn({ err, delivery: d.id, channel, attempts: d.attempts }, 'notifications: a delivery failed');
        await finish(last ? 'failed' : 'pending', message);
      }
    }
  }

  /**
   * The daily digest: takes every pending digest delivery (one claim, so a second replica
   * running at the same time gets none of them) and sends each user one email listing them.
   * Returns how many emails went out.
   */
  async sendDigests(): Promise<number> {
    const claimed = await this.o.store.claimDeliveries('digest', this.o.replicaId, new Date(), { ...this.o.settings, limit: 100_000 });
    if (claimed.length === 0) return 0;
    const byUser = new Map<string, DeliveryRow[]>();
    for (const d of claimed) byUser.set(d.userRef, [...(byUser.get(d.userRef) ?? []), d]);
    const addresses = await this.emailAddresses([...byUser.keys()]);
    const notifications = new Map((await this.o.store.notificationsByIds([...new Set(claimed.map((d) => d.notificationId))])).map((n) => [n.id, n]));
    let sent = 0;
    for (const [user, rows] of byUser) {
      const ids = rows.map((r) => r.id);
      const finish = (status: 'sent' | 'failed' | 'pending' | 'skipped', error?: string) =>
        this.o.store.finishDeliveries(ids, this.o.replicaId, { status, ...(error ? { error } : {}) }, new Date());
      const items = rows.map((r) => notifications.get(r.notificationId)).filter((n): n is Notification => Boolean(n));
      const to = addresses.get(user);
      if (!to || !this.o.email.enabled || items.length === 0) {
        await finish(
          'skipped',
          !to ? `${user} has no email address in the catalog` : !this.o.email.enabled ? 'email is not configured' : 'nothing left to send',
        );
        continue;
      }
      try {
        await this.o.email.send({ to: [to], ...this.digestOf(items) });
        await finish('sent');
        sent++;
      } catch (err) {
        const last = Math.max(...rows.map((r) => r.attempts)) >= this.o.settings.maxAttempts;
        this.o.logger.warn({ err, user }, 'notifications: a digest email failed');
        await finish(last ? 'failed' : 'pending', (err as Error).message);
      }
    }
    return sent;
  }

  /** spec.profile.email of each User entity that has a plain address. */
  private async emailAddresses(userRefs: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const catalog = this.o.catalog();
    if (!catalog || userRefs.length === 0) return out;
    const entities = await catalog.getEntitiesByRefs(userRefs);
    entities.forEach((e, i) => {
      const email = (e?.spec as { profile?: { email?: unknown } } | undefined)?.profile?.email;
      if (e?.kind.toLowerCase() === 'user' && isEmailAddress(email)) out.set(userRefs[i]!, email);
    });
    return out;
  }

  private absoluteLink(link: string | undefined): string | undefined {
    if (!link) return undefined;
    if (/^https?:\/\//i.test(link)) return link;
    if (link.startsWith('/') && !link.startsWith('//')) return `${this.o.baseUrl.replace(/\/$/, '')}${link}`;
    return undefined;
  }

  private emailOf(n: Notification): { subject: string; text: string; html: string } {
    const link = this.absoluteLink(n.link);
    const subject = `[Atrium] ${n.title}`.replace(/[\r\n]+/g, ' ').slice(0, 500);
    const text = [
      n.title,
      '',
      n.description ?? '',
      link ? `Open: ${link}` : '',
      '',
      `From ${n.source} (${n.severity}). Change what you receive: ${this.o.baseUrl.replace(/\/$/, '')}/notifications/preferences`,
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n');
    const html = `<p><strong>${link ? `<a href="${escapeHtml(link)}">${escapeHtml(n.title)}</a>` : escapeHtml(n.title)}</strong></p>${n.description ? `<p>${escapeHtml(n.description)}</p>` : ''}<p style="color:#666">From ${escapeHtml(n.source)} (${escapeHtml(n.severity)})</p>`;
    return { subject, text, html };
  }

  private digestOf(items: Notification[]): { subject: string; text: string; html: string } {
    const subject = `[Atrium] Your daily digest: ${items.length} notification${items.length === 1 ? '' : 's'}`;
    const lines = items.map(
      (n) => `- ${n.title}${n.description ? ` — ${n.description}` : ''}${this.absoluteLink(n.link) ? ` (${this.absoluteLink(n.link)})` : ''}`,
    );
    const text = [`${items.length} low-priority notification${items.length === 1 ? '' : 's'} since the last digest:`, '', ...lines].join('\n');
    const html = `<p>${items.length} low-priority notification${items.length === 1 ? '' : 's'} since the last digest:</p><ul>${items
      .map((n) => {
        const link = this.absoluteLink(n.link);
        const title = link ? `<a href="${escapeHtml(link)}">${escapeHtml(n.title)}</a>` : escapeHtml(n.title);
        return `<li>${title}${n.description ? ` — ${escapeHtml(n.description)}` : ''}</li>`;
      })
      .join('')}</ul>`;
    return { subject, text, html };
  }

  private slackTextOf(n: Notification): string {
    // Slack mrkdwn: &, < and > are the characters to escape.
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const link = this.absoluteLink(n.link);
    return [`*${esc(n.title)}*`, n.description ? esc(n.description) : '', link ? `<${link.replace(/[<>|]/g, encodeURIComponent)}|Open in Atrium>` : '']
      .filter(Boolean)
      .join('\n');
  }
}
