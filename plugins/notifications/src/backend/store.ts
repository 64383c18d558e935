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
        const rows = (d.scope === null
          ? await q.returning('*')
          : await q
              .onConflict(['source', 'scope', 'recipient'])
              .merge(['topic', 'title', 'description', 'link', 'severity', 'entity_ref', 'updated_at'])
              .returning('*')) as Row[];
        const stored = rows[0]!;
        out.push({ ...toNotification(stored), created: stored['id'] === row.id });
      }
    });
    return out;
  }

  async withdraw(source: string, scopePrefix: string, keepScopePrefixes: string[], unreadOnly: boolean): Promise<number> {
    const q = this.db('notifications').where('source', source).where('scope', 'like', likePrefix(scopePrefix));
    if (unreadOnly) q.whereNull('read_at');
    for (const keep of keepScopePrefixes) q.whereNot('scope', 'like', likePrefix(keep));
    return q.delete();
  }

  private visible(recipients: string[]): Knex.QueryBuilder {
    return this.db('notifications').whereIn('recipient', [...new Set([...recipients.map((r) => r.toLowerCase()), BROADCAST])]);
  }

  async list(o: ListNotificationsOptions): Promise<NotificationList> {
    const filtered = () => {
      const q = this.visible(o.recipients);
      if (o.source) q.where('source', o.source);
      if (o.entityRef) q.where('entity_ref', o.entityRef.toLowerCase());
      return q;
    };
    const page = filtered();
    if (o.unread) page.whereNull('read_at');
    const [rows, total, unread] = await Promise.all([
      page.orderBy([{ column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(o.limit ?? 50).offset(o.offset ?? 0),
      (o.unread ? filtered().whereNull('read_at') : filtered()).count({ n: '*' }).first(),
      filtered().whereNull('read_at').count({ n: '*' }).first(),
    ]);
    return { items: (rows as Row[]).map(toNotification), totalCount: Number(total?.['n'] ?? 0), unreadCount: Number(unread?.['n'] ?? 0) };
  }

  async unreadCount(recipients: string[]): Promise<number> {
    const r = await this.visible(recipients).whereNull('read_at').count({ n: '*' }).first();
    return Number(r?.['n'] ?? 0);
  }

  async markRead(id: string, recipients: string[], now: Date): Promise<boolean> {
    const found = await this.visible(recipients).where('id', id).first('id', 'read_at');
    if (!found) return false;
    if (found['read_at'] == null) await this.db('notifications').where('id', id).whereNull('read_at').update({ read_at: now });
    return true;
  }

  async markAllRead(recipients: string[], now: Date): Promise<number> {
    return this.visible(recipients).whereNull('read_at').update({ read_at: now });
  }
}
