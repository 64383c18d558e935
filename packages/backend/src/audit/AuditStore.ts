import type { AuditOutcome, AuditPage, AuditQuery, AuditRecord, AuditVerifyResult } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import { GENESIS_HASH, hashRow, type ChainedRow } from './auditHash.js';
import { jsonRoundTrip } from './canonicalJson.js';

const SCHEMA = 'atrium_host';
const VERIFY_BATCH = 1000;

/** A record about to be appended: everything but id, time and the chain. */
export type AuditAppend = Omit<AuditRecord, 'id' | 'time' | 'prevHash' | 'hash'>;

interface AuditRow {
  id: string | number;
  time: Date | string;
  actor: string;
  actor_type: string;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  request_id: string | null;
  client_address: string | null;
  diff: unknown;
  meta: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    time: new Date(row.time).toISOString(),
    actor: row.actor,
    actorType: row.actor_type,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    requestId: row.request_id,
    clientAddress: row.client_address,
    diff: row.diff ?? null,
    meta: row.meta ?? null,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function chained(r: AuditRecord): ChainedRow {
  return { ...r, meta: r.meta };
}

export function encodeCursor(id: string): string {
  return Buffer.from(`id:${id}`, 'utf8').toString('base64url');
}
/** The id a cursor points below, or undefined when it is not one this store made. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^id:([1-9][0-9]{0,18})$/.exec(text);
  return m ? m[1] : undefined;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The durable audit log in `atrium_host.audit_events`: append, query, verify, prune. */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  /**
   * Appends one record inside `trx` (a transaction on any schema's knex of this database) or in a
   * transaction of its own. Returns the row written.
   */
  async append(entry: AuditAppend, trx?: Knex.Transaction): Promise<AuditRecord> {
    if (!trx) return this.db.transaction((own) => this.appendIn(own, entry, false));
    return this.appendIn(trx, entry, true);
  }

  // Two statements: lock the head row and read it (under READ COMMITTED a locking read waits for
  // a concurrent append and then sees its committed head), then insert the row and move the head.
  private async appendIn(trx: Knex.Transaction, entry: AuditAppend, callersTransaction: boolean): Promise<AuditRecord> {
    const locked = (await trx.raw(
      `select current_setting('transaction_isolation') as level, (last_id + 1)::text as id, last_hash from ${SCHEMA}.audit_head for update`,
    )) as { rows: Array<{ level: string; id: string; last_hash: string }> };
    const head = locked.rows[0];
    if (!head) throw new Error(`${SCHEMA}.audit_head has no row: the audit log's migrations did not run`);
    if (callersTransaction && head.level !== 'read committed') {
      throw new Error(
        `audit.record({ trx }) needs a READ COMMITTED transaction (this one is ${head.level}): the chain head is read after the audit lock is taken`,
      );
    }
    const id = String(head.id);
    const prevHash = String(head.last_hash);
    const record: AuditRecord = {
      id,
      time: new Date().toISOString(),
      ...entry,
      diff: jsonRoundTrip(entry.diff ?? null),
      meta: jsonRoundTrip(entry.meta ?? null),
      prevHash,
      hash: '',
    };
    record.hash = hashRow(chained(record));
    await trx.raw(
      `with row as (
         insert into ${SCHEMA}.audit_events (id, time, actor, actor_type, action, target, outcome, request_id, client_address, diff, meta, prev_hash, hash)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?) returning id)
       update ${SCHEMA}.audit_head set last_id = (select id from row), last_hash = ?`,
      [
        id,
        record.time,
        record.actor,
        record.actorType,
        record.action,
        record.target,
        record.outcome,
        record.requestId,
        record.clientAddress,
        record.diff === null ? null : JSON.stringify(record.diff),
        record.meta === null ? null : JSON.stringify(record.meta),
        record.prevHash,
        record.hash,
        record.hash,
      ],
    );
    return record;
  }

  /** Newest first, filtered; `nextCursor` when older rows match. */
  async query(q: AuditQuery): Promise<AuditPage> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const query = this.db
      .withSchema(SCHEMA)
      .table('audit_events')
      .select('*')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (q.actor !== undefined) query.where('actor', q.actor);
    if (q.target !== undefined) query.where('target', q.target);
    if (q.outcome !== undefined) query.where('outcome', q.outcome);
    if (q.actionPrefix !== undefined) {
      const prefix = q.actionPrefix.replace(/\.$/, '');
      query.where((w) => w.where('action', prefix).orWhereRaw(`action like ? escape '\\'`, [`${escapeLike(prefix)}.%`]));
    }
    if (q.from !== undefined) query.where('time', '>=', q.from.toISOString());
    if (q.to !== undefined) query.where('time', '<', q.to.toISOString());
    if (q.cursor !== undefined) {
      const below = decodeCursor(q.cursor);
      if (below === undefined) throw new RangeError('cursor');
      query.where('id', '<', below);
    }
    const rows = ((await query) as AuditRow[]).map(toRecord);
    const items = rows.slice(0, limit);
    return rows.length > limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!.id) } : { items };
  }

  /**
   * Walks the chain in id order from the last checkpoint (or genesis): each row must name the
   * previous row's hash and hash to its own `hash`. Names the first row that does not.
   */
  async verify(): Promise<AuditVerifyResult> {
    const checkpoint = (await this.db.withSchema(SCHEMA).table('audit_checkpoints').select('upto_id', 'hash').orderBy('id', 'desc').first()) as
      { upto_id: string | number; hash: string } | undefined;
    let prev = checkpoint?.hash ?? GENESIS_HASH;
    let after = checkpoint ? String(checkpoint.upto_id) : '0';
    let checked = 0;
    for (;;) {
      const rows = (
        (await this.db.withSchema(SCHEMA).table('audit_events').select('*').where('id', '>', after).orderBy('id', 'asc').limit(VERIFY_BATCH)) as AuditRow[]
      ).map(toRecord);
      for (const r of rows) {
        if (r.prevHash !== prev) {
          return {
            ok: false,
            checked,
            brokenAt: { id: r.id, time: r.time },
            reason: 'its prev_hash is not the hash of the row before it (a row was removed, inserted or changed)',
          };
        }
        if (hashRow(chained(r)) !== r.hash) {
          return { ok: false, checked, brokenAt: { id: r.id, time: r.time }, reason: 'its contents do not match its hash (the row was changed)' };
        }
        prev = r.hash;
        after = r.id;
        checked++;
      }
      if (rows.length < VERIFY_BATCH) break;
    }
    return { ok: true, checked, fromCheckpoint: checkpoint ? String(checkpoint.upto_id) : null };
  }

  /**
   * Removes rows older than `before` (by id: every row up to the newest one older than the cutoff),
   * recording a checkpoint with the last removed row's hash so the rest still verifies.
   */
  async prune(before: Date): Promise<number> {
    return this.db.transaction(async (trx) => {
      // Appends wait while the head row is locked: nothing is chained onto rows being removed.
      await trx.raw(`select 1 from ${SCHEMA}.audit_head for update`);
      const last = (await trx
        .withSchema(SCHEMA)
        .table('audit_events')
        .select('id', 'hash', 'time')
        .where('time', '<', before.toISOString())
        .orderBy('id', 'desc')
        .first()) as { id: string | number; hash: string; time: Date | string } | undefined;
      if (!last) return 0;
      const removed = Number(await trx.withSchema(SCHEMA).table('audit_events').where('id', '<=', String(last.id)).delete());
      await trx
        .withSchema(SCHEMA)
        .table('audit_checkpoints')
        .insert({ upto_id: String(last.id), hash: last.hash, upto_time: new Date(last.time).toISOString(), removed });
      return removed;
    });
  }
}
