import {
  unnestColumns,
  type EventLogAppend,
  type EventLogEntry,
  type EventLogPage,
  type EventLogReadOptions,
  type EventLogStats,
} from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';

const TABLE = 'atrium_host.event_log';
const SEQUENCE = 'atrium_host.event_log_id_seq';
/**
 * In-flight markers are transaction-scoped shared advisory locks in the two-int form
 * (`pg_locks.objsubid = 2`): key1 = LOCK_BASE + floor(lb / 2^31), key2 = lb mod 2^31, where lb is
 * the sequence's last value when the transaction first appended. Every id that transaction draws is
 * above lb. 65,536 classes cover 1.4e14 ids.
 */
export const EVENT_LOG_LOCK_BASE = 0x45760000; // "Ev"
const LOCK_SPAN = 65536;
const TWO_31 = 2147483648n;
const INSERT_CHUNK = 5000;

/** One entry as written: text columns, JSON already serialized. */
interface LogRow {
  topic: string;
  entity_ref: string | null;
  actor: string | null;
  payload: string;
  meta: string | null;
}
const TOPIC_RE = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

export interface EventLogRow {
  id: string | number;
  txid: string;
  topic: string;
  entity_ref: string | null;
  actor: string | null;
  payload: unknown;
  meta: Record<string, unknown> | null;
  created_at: Date | string;
}

function toEntry(row: EventLogRow): EventLogEntry {
  return {
    id: String(row.id),
    topic: row.topic,
    payload: row.payload,
    entityRef: row.entity_ref,
    actor: row.actor,
    meta: row.meta ?? null,
    createdAt: new Date(row.created_at).toISOString(),
    txid: String(row.txid),
  };
}

/** A cursor as given by a caller: a non-negative decimal integer (string or number). */
export function parseEventLogCursor(value: string | number | undefined, name = 'after'): bigint {
  if (value === undefined || value === '') return 0n;
  const text = String(value);
  if (!/^(0|[1-9][0-9]{0,18})$/.test(text)) throw new TypeError(`${name} must be a non-negative integer event id, got ${JSON.stringify(text).slice(0, 40)}`);
  return BigInt(text);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `atrium_host.event_log`: one ordered table of durable events.
 *
 * Ordering and safety (see docs/architecture.md, "Event log"): ids come from a sequence, so they
 * are drawn before commit and transactions commit out of id order. Before its first append a
 * transaction takes a shared advisory lock keyed by the sequence's current value `lb` (every id it
 * draws afterwards is greater), held until it ends. A reader reads, in this order and in separate
 * statements: the sequence's last value `L`, then the smallest `lb` still locked, then the rows with
 * `id <= min(L, lb)`. No transaction still in flight when the rows are read can own an id in that
 * range, so a reader that advances its cursor to that horizon never skips a late commit.
 */
export class EventLogStore {
  /** Transactions that already hold their in-flight marker. */
  private readonly marked = new WeakSet<Knex.Transaction>();

  constructor(private readonly db: Knex) {}

  async append(events: readonly EventLogAppend[], trx?: Knex.Transaction): Promise<string[]> {
    if (events.length === 0) return [];
    const rows = events.map((e) => this.toRow(e));
    if (!trx) return this.db.transaction((own) => this.appendIn(own, rows));
    return this.appendIn(trx, rows);
  }

  private toRow(e: EventLogAppend): LogRow {
    if (typeof e.topic !== 'string' || !TOPIC_RE.test(e.topic))
      throw new TypeError(`event log: bad topic ${JSON.stringify(e.topic)} (want <plugin>.<word>[.<word>…], lower case)`);
    const payload = JSON.stringify(e.payload ?? null);
    return {
      topic: e.topic,
      entity_ref: e.entityRef ?? null,
      actor: e.actor ?? null,
      payload,
      meta: e.meta === undefined ? null : JSON.stringify(e.meta),
    };
  }

  private async appendIn(trx: Knex.Transaction, rows: LogRow[]): Promise<string[]> {
    if (!this.marked.has(trx)) {
      // Read the sequence's last value and lock it in one statement, before drawing any id.
      await trx.raw(
        `select pg_advisory_xact_lock_shared((${EVENT_LOG_LOCK_BASE} + lb / ${TWO_31})::int, (lb % ${TWO_31})::int)
           from (select case when is_called then last_value else 0 end as lb from ${SEQUENCE}) s`,
      );
      this.marked.add(trx);
    }
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const u = unnestColumns([
        [chunk.map((r) => r.topic), 'text'],
        [chunk.map((r) => r.entity_ref), 'text'],
        [chunk.map((r) => r.actor), 'text'],
        [chunk.map((r) => r.payload), 'text'],
        [chunk.map((r) => r.meta), 'text'],
      ]);
      const out = (await trx.raw(
        `insert into atrium_host.event_log (id, topic, entity_ref, actor, payload, meta)
         select nextval('${SEQUENCE}'), u.topic, u.entity_ref, u.actor, u.payload::jsonb, u.meta::jsonb
         from ${u.sql} as u(topic, entity_ref, actor, payload, meta)
         returning id`,
        u.bindings as Knex.RawBinding[],
      )) as { rows: Array<{ id: string | number }> };
      for (const r of out.rows) ids.push(String(r.id));
    }
    return ids.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  }

  /**
   * The highest id a reader may read up to: no transaction in flight owns an id at or below it.
   * The three reads must happen in this order, each in its own statement.
   */
  async horizon(): Promise<bigint> {
    const seq = (await this.db.raw(`select last_value::text as v, is_called from ${SEQUENCE}`)) as { rows: Array<{ v: string; is_called: boolean }> };
    const last = seq.rows[0]?.is_called ? BigInt(seq.rows[0].v) : 0n;
    const locks = (await this.db.raw(
      `select min((classid::bigint - ${EVENT_LOG_LOCK_BASE}) * ${TWO_31} + objid::bigint)::text as lb
         from pg_locks
        where locktype = 'advisory' and objsubid = 2
          and classid::bigint >= ${EVENT_LOG_LOCK_BASE} and classid::bigint < ${EVENT_LOG_LOCK_BASE + LOCK_SPAN}
          and database = (select oid from pg_database where datname = current_database())`,
    )) as { rows: Array<{ lb: string | null }> };
    const lb = locks.rows[0]?.lb;
    return lb !== null && lb !== undefined && BigInt(lb) < last ? BigInt(lb) : last;
  }

  async read(options: EventLogReadOptions = {}): Promise<EventLogPage> {
    const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100)));
    const horizon = await this.horizon();
    const newestFirst = options.newestFirst === true;
    // The page's ids first, then their rows: ordering whole rows (payloads hold entities) before
    // the limit made a read of a 500-event page sort every event in range, in temporary files,
    // whenever the planner misjudged the range (no statistics yet after a first ingest: 11,000
    // events, 350 ms a page).
    const ids = this.db.withSchema('atrium_host').table('event_log').select('id');
    ids.where('id', '<=', horizon.toString());
    let after = 0n;
    if (newestFirst) {
      if (options.before !== undefined && options.before !== '') ids.where('id', '<', parseEventLogCursor(options.before, 'before').toString());
    } else {
      after = parseEventLogCursor(options.after);
      ids.where('id', '>', after.toString());
    }
    if (options.entityRef !== undefined) ids.where('entity_ref', options.entityRef);
    const topics = options.topics;
    if (topics && topics.length > 0 && !topics.includes('*')) {
      ids.where((w) => {
        for (const t of topics) {
          if (t.endsWith('*')) w.orWhereRaw(`topic like ? escape '\\'`, [`${escapeLike(t.slice(0, -1))}%`]);
          else w.orWhere('topic', t);
        }
      });
    }
    ids.orderBy('id', newestFirst ? 'desc' : 'asc').limit(limit);
    const q = this.db
      .withSchema('atrium_host')
      .table('event_log')
      .select('id', this.db.raw('txid::text as txid'), 'topic', 'entity_ref', 'actor', 'payload', 'meta', 'created_at')
      .whereIn('id', ids)
      .orderBy('id', newestFirst ? 'desc' : 'asc');
    const events = ((await q) as EventLogRow[]).map(toEntry);
    const full = events.length === limit;
    let next: string;
    if (newestFirst) next = full ? events[events.length - 1]!.id : '0';
    else next = full ? events[events.length - 1]!.id : (horizon > after ? horizon : after).toString();
    return { events, next };
  }

  /** Deletes events created before `cutoff`, in chunks; returns how many. */
  async prune(cutoff: Date): Promise<number> {
    let removed = 0;
    for (;;) {
      const n = await this.db.raw(`delete from ${TABLE} where id in (select id from ${TABLE} where created_at < ? order by id limit 10000)`, [
        cutoff.toISOString(),
      ]);
      const count = (n as { rowCount?: number; affectedRows?: number }).rowCount ?? (n as { affectedRows?: number }).affectedRows ?? 0;
      removed += count;
      if (count < 10000) return removed;
    }
  }

  async stats(retentionDays: number): Promise<EventLogStats> {
    const r = (await this.db.raw(
      `select count(*)::text as rows, min(id)::text as oldest_id, max(id)::text as newest_id, min(created_at) as oldest_at,
              pg_total_relation_size('${TABLE}')::text as bytes
         from ${TABLE}`,
    )) as { rows: Array<{ rows: string; oldest_id: string | null; newest_id: string | null; oldest_at: Date | string | null; bytes: string }> };
    const row = r.rows[0]!;
    return {
      rows: Number(row.rows),
      bytes: Number(row.bytes),
      oldestId: row.oldest_id,
      newestId: row.newest_id,
      oldestAt: row.oldest_at === null ? null : new Date(row.oldest_at).toISOString(),
      retentionDays,
    };
  }
}
