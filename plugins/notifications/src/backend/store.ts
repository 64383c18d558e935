import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { BROADCAST, type ListNotificationsOptions, type Notification, type NotificationList, type NotificationSeverity } from '../common/index.js';

/** A notification before it has an id and timestamps, for one recipient. */
export interface NotificationDraft {
  recipient: string;
  source: string;
  topic: string;
  title: string;
  description: string | null;
  link: string | null;
  severity: NotificationSeverity;
  entityRef: string | null;
  scope: string | null;
}

type Row = Record<string, unknown>;

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();

function toNotification(r: Row): Notification {
  return {
    id: String(r['id']),
    recipient: String(r['recipient']),
    source: String(r['source']),
    topic: String(r['topic']),
    title: String(r['title']),
    ...(r['description'] != null ? { description: String(r['description']) } : {}),
    ...(r['link'] != null ? { link: String(r['link']) } : {}),
    severity: r['severity'] as NotificationSeverity,
    ...(r['entity_ref'] != null ? { entityRef: String(r['entity_ref']) } : {}),
    ...(r['scope'] != null ? { scope: String(r['scope']) } : {}),
    createdAt: iso(r['created_at']),
    updatedAt: iso(r['updated_at']),
    ...(r['read_at'] != null ? { readAt: iso(r['read_at']) } : {}),
  };
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The notifications table, in the plugin's own schema. */
export class NotificationStore {
  constructor(private readonly db: Knex) {}

  /**
   * Inserts one row per draft; a draft with a scope that already has a row for the same source
   * and recipient rewrites it (content and updated_at; read state and created_at stay).
   * One statement per draft, so concurrent replicas never produce two rows for one scope.
   */
  async upsert(drafts: NotificationDraft[], now: Date): Promise<Array<Notification & { created: boolean }>> {
    const out: Array<Notification & { created: boolean }> = [];
    await this.db.transaction(async (trx) => {
      for (const d of drafts) {
        const row = {
          id: randomUUID(),
          recipient: d.recipient,
          source: d.source,
          topic: d.topic,
          title: d.title,
          description: d.description,
          link: d.link,
          severity: d.severity,
          entity_ref: d.entityRef,
          scope: d.scope,
          created_at: now,
          updated_at: now,
        };
        const q = trx('notifications').insert(row);
        const rows = (
          d.scope === null
            ? await q.returning('*')
            : await q
                .onConflict(['source', 'scope', 'recipient'])
                .merge(['topic', 'title', 'description', 'link', 'severity', 'entity_ref', 'updated_at'])
                .returning('*')
        ) as Row[];
        const stored = rows[0]!;
        const created = stored['id'] === row.id;
        if (!created && stored['read_at'] == null) {
          // A rewritten group notification or broadcast some reader has read: say when (first).
          const first = (await trx('notification_reads').where('notification_id', String(stored['id'])).min({ at: 'read_at' }).first()) as Row | undefined;
          if (first?.['at'] != null) stored['read_at'] = first['at'];
        }
        out.push({ ...toNotification(stored), created });
      }
    });
    return out;
  }

  /** Removes what a source withdraws; resolves with the recipient of each removed row. */
  async withdraw(source: string, scopePrefix: string, keepScopePrefixes: string[], unreadOnly: boolean): Promise<string[]> {
    const q = this.db('notifications').where('source', source).where('scope', 'like', likePrefix(scopePrefix));
    // Unread by anyone: a group notification one member read stays in their history.
    if (unreadOnly)
      q.whereNull('read_at').whereNotExists(
        this.db('notification_reads').select(this.db.raw('1')).whereRaw('notification_reads.notification_id = notifications.id'),
      );
    for (const keep of keepScopePrefixes) q.whereNot('scope', 'like', likePrefix(keep));
    const removed = (await q.delete().returning('recipient')) as Row[];
    return removed.map((r) => String(r['recipient']));
  }

  /**
   * Rows addressed to `recipients` or everyone, as `n`. With a reader, its own read state of
   * group rows and broadcasts is joined (`r`) and `hidden` (the in-app preferences) is applied.
   */
  private visible(recipients: string[], reader?: string, hidden?: InAppFilter): Knex.QueryBuilder {
    const q = this.db('notifications as n').whereIn('n.recipient', [...new Set([...recipients.map((r) => r.toLowerCase()), BROADCAST])]);
    if (reader) {
      q.leftJoin('notification_reads as r', (j) => {
        j.on('r.notification_id', '=', 'n.id').andOn('r.user_ref', '=', this.db.raw('?', [reader]));
      });
    }
    if (hidden) q.whereRaw(hidden.sql, hidden.bindings);
    return q;
  }

  private readAt(reader?: string): string {
    return reader ? 'coalesce(n.read_at, r.read_at)' : 'n.read_at';
  }

  async list(o: ListNotificationsOptions & { hidden?: InAppFilter }): Promise<NotificationList> {
    const readAt = this.readAt(o.reader);
    const filtered = () => {
      const q = this.visible(o.recipients, o.reader, o.hidden);
      if (o.source) q.where('n.source', o.source);
      if (o.entityRef) q.where('n.entity_ref', o.entityRef.toLowerCase());
      return q;
    };
    const unreadOnly = (q: Knex.QueryBuilder) => q.whereRaw(`${readAt} is null`);
    const page = filtered();
    if (o.unread) unreadOnly(page);
    const [rows, total, unread] = await Promise.all([
      page
        .select('n.*', this.db.raw(`${readAt} as effective_read_at`))
        .orderBy([
          { column: 'n.updated_at', order: 'desc' },
          { column: 'n.id', order: 'desc' },
        ])
        .limit(o.limit ?? 50)
        .offset(o.offset ?? 0),
      (o.unread ? unreadOnly(filtered()) : filtered()).count({ n: '*' }).first(),
      unreadOnly(filtered()).count({ n: '*' }).first(),
    ]);
    return {
      items: (rows as Row[]).map((r) => toNotification({ ...r, read_at: r['effective_read_at'] })),
      totalCount: Number(total?.['n'] ?? 0),
      unreadCount: Number(unread?.['n'] ?? 0),
    };
  }

  async unreadCount(recipients: string[], reader?: string, hidden?: InAppFilter): Promise<number> {
    const r = await this.visible(recipients, reader, hidden)
      .whereRaw(`${this.readAt(reader)} is null`)
      .count({ n: '*' })
      .first();
    return Number(r?.['n'] ?? 0);
  }

  /**
   * Marks one read for `reader`: a user's own row itself, a group row or broadcast only for the
   * reader. Without a reader the row itself (read for everyone). False when it is not visible.
   * One transaction: `inTransaction` (the route's audit record) runs in it once the notification is
   * found, so the record and the read mark are written together or not at all.
   */
  async markRead(
    id: string,
    recipients: string[],
    reader: string | undefined,
    now: Date,
    inTransaction?: (trx: Knex.Transaction) => Promise<void>,
  ): Promise<{ found: boolean; changed: boolean }> {
    return this.db.transaction(async (trx) => {
      const found = (await this.visible(recipients, reader)
        .transacting(trx)
        .where('n.id', id)
        .first('n.id', 'n.recipient', this.db.raw(`${this.readAt(reader)} as effective_read_at`))) as Row | undefined;
      if (!found) return { found: false, changed: false };
      const changed = found['effective_read_at'] == null;
      if (changed && (!reader || found['recipient'] === reader)) {
        await trx('notifications').where('id', id).whereNull('read_at').update({ read_at: now });
      } else if (changed) {
        await trx('notification_reads').insert({ notification_id: id, user_ref: reader, read_at: now }).onConflict(['notification_id', 'user_ref']).ignore();
      }
      await inTransaction?.(trx);
      return { found: true, changed };
    });
  }

  /** Marks every visible unread one read for `reader`, in one transaction with `inTransaction` (given how many). */
  async markAllRead(
    recipients: string[],
    reader: string | undefined,
    now: Date,
    inTransaction?: (trx: Knex.Transaction, updated: number) => Promise<void>,
  ): Promise<number> {
    return this.db.transaction(async (trx) => {
      let updated: number;
      if (!reader) {
        updated = await trx('notifications')
          .whereIn('recipient', [...new Set([...recipients.map((r) => r.toLowerCase()), BROADCAST])])
          .whereNull('read_at')
          .update({ read_at: now });
      } else {
        const unread = (await this.visible(recipients, reader)
          .transacting(trx)
          .whereRaw(`${this.readAt(reader)} is null`)
          .select('n.id', 'n.recipient')) as Row[];
        const own = unread.filter((r) => r['recipient'] === reader).map((r) => String(r['id']));
        const shared = unread.filter((r) => r['recipient'] !== reader).map((r) => String(r['id']));
        for (let i = 0; i < own.length; i += 500)
          await trx('notifications')
            .whereIn('id', own.slice(i, i + 500))
            .whereNull('read_at')
            .update({ read_at: now });
        for (let i = 0; i < shared.length; i += 500) {
          const rows = shared.slice(i, i + 500).map((id) => ({ notification_id: id, user_ref: reader, read_at: now }));
          await trx('notification_reads').insert(rows).onConflict(['notification_id', 'user_ref']).ignore();
        }
        updated = unread.length;
      }
      await inTransaction?.(trx, updated);
      return updated;
    });
  }

  // ---- preferences

  async getPreferences(userRef: string): Promise<unknown> {
    const row = (await this.db('preferences').where('user_ref', userRef).first('settings')) as Row | undefined;
    if (!row) return undefined;
    return typeof row['settings'] === 'string' ? JSON.parse(row['settings']) : row['settings'];
  }

  /** Stored preferences of many users at once (those who never saved any are left out). */
  async preferencesMany(userRefs: string[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    for (let i = 0; i < userRefs.length; i += 500) {
      const rows = (await this.db('preferences')
        .whereIn('user_ref', userRefs.slice(i, i + 500))
        .select('user_ref', 'settings')) as Row[];
      for (const r of rows) out.set(String(r['user_ref']), typeof r['settings'] === 'string' ? JSON.parse(r['settings']) : r['settings']);
    }
    return out;
  }

  async setPreferences(userRef: string, settings: unknown, now: Date, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.db)('preferences')
      .insert({ user_ref: userRef, settings: JSON.stringify(settings), updated_at: now })
      .onConflict('user_ref')
      .merge(['settings', 'updated_at']);
  }

  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  // ---- deliveries (email, digest, slack)

  /** Queues deliveries; one per notification, user and channel (a second queue of the same is ignored). */
  async queueDeliveries(rows: Array<{ notificationId: string; userRef: string; channel: DeliveryChannel }>, now: Date): Promise<DeliveryRow[]> {
    if (rows.length === 0) return [];
    const inserted = (await this.db('deliveries')
      .insert(
        rows.map((r) => ({ id: randomUUID(), notification_id: r.notificationId, user_ref: r.userRef, channel: r.channel, status: 'pending', created_at: now })),
      )
      .onConflict(['notification_id', 'user_ref', 'channel'])
      .ignore()
      .returning('*')) as Row[];
    return inserted.map(toDelivery);
  }

  /**
   * Takes pending deliveries (of `channel`, and those with ids in `ids` when given) for `replicaId`
   * with one conditional UPDATE, so two replicas never take the same row. Rows claimed longer ago
   * than `staleSeconds` (a replica that died mid-send) are taken again.
   */
  async claimDeliveries(
    channel: DeliveryChannel,
    replicaId: string,
    now: Date,
    options: { ids?: string[]; staleSeconds: number; maxAttempts: number; limit?: number },
  ): Promise<DeliveryRow[]> {
    const stale = new Date(now.getTime() - options.staleSeconds * 1000);
    const candidates = this.db('deliveries')
      .select('id')
      .where('channel', channel)
      .where('attempts', '<', options.maxAttempts)
      .where((w) => w.where('status', 'pending').orWhere((s) => s.where('status', 'sending').where('claimed_at', '<', stale)))
      .orderBy('created_at')
      .limit(options.limit ?? 1000);
    if (options.ids) candidates.whereIn('id', options.ids);
    const rows = (await this.db('deliveries')
      .whereIn('id', candidates)
      .where((w) => w.where('status', 'pending').orWhere((s) => s.where('status', 'sending').where('claimed_at', '<', stale)))
      .update({ status: 'sending', claimed_by: replicaId, claimed_at: now, attempts: this.db.raw('attempts + 1') })
      .returning('*')) as Row[];
    return rows.map(toDelivery);
  }

  /** Records how a claimed delivery went (only while this replica still holds it). */
  async finishDeliveries(
    ids: string[],
    replicaId: string,
    outcome: { status: 'sent' | 'failed' | 'pending' | 'skipped'; error?: string },
    now: Date,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.db('deliveries')
      .whereIn('id', ids)
      .where({ status: 'sending', claimed_by: replicaId })
      .update({
        status: outcome.status,
        error: outcome.error?.slice(0, 2000) ?? null,
        sent_at: outcome.status === 'sent' ? now : null,
        claimed_by: null,
        claimed_at: null,
      });
  }

  async notificationsByIds(ids: string[]): Promise<Notification[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db('notifications').whereIn('id', ids).orderBy('created_at')) as Row[];
    return rows.map(toNotification);
  }

  async deliveries(filter: { userRef?: string; channel?: DeliveryChannel } = {}): Promise<DeliveryRow[]> {
    const q = this.db('deliveries').orderBy('created_at');
    if (filter.userRef) q.where('user_ref', filter.userRef);
    if (filter.channel) q.where('channel', filter.channel);
    return ((await q) as Row[]).map(toDelivery);
  }
}

export type DeliveryChannel = 'email' | 'digest' | 'slack';

export interface DeliveryRow {
  id: string;
  notificationId: string;
  userRef: string;
  channel: DeliveryChannel;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  error?: string;
}

function toDelivery(r: Row): DeliveryRow {
  return {
    id: String(r['id']),
    notificationId: String(r['notification_id']),
    userRef: String(r['user_ref']),
    channel: r['channel'] as DeliveryChannel,
    status: r['status'] as DeliveryRow['status'],
    attempts: Number(r['attempts']),
    ...(r['error'] != null ? { error: String(r['error']) } : {}),
  };
}

/** A SQL condition (on `n`) keeping the notifications a reader has not turned off in-app. */
export interface InAppFilter {
  sql: string;
  bindings: Array<string | boolean>;
}
