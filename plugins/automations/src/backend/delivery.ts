import type { Db, EventLogService, InstanceService, Logger } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import type { NotificationsService } from '@atrium/plugin-notifications/backend';
import type { AutomationsConfig } from './config.js';
import { backoffMs, createOutboundAgents, sendRequest, signBody, type OutboundResult } from './http.js';
import type { EntityActions } from './actions/entityActions.js';

export interface DeliveryRow {
  id: string;
  run_id: string;
  automation_id: string;
  action_index: number;
  action_type: string;
  idempotency_key: string;
  status: string;
  attempts: number;
  max_attempts: number;
  request: Record<string, unknown>;
}

/** What one attempt of an action came to. */
export interface AttemptOutcome extends OutboundResult {
  ok: boolean;
  /** Worth another attempt (a timeout, a connection error, 5xx, 408, 429). */
  retryable: boolean;
}

export interface Mailer {
  enabled(): boolean;
  send(message: { to: string[]; subject: string; text: string }): Promise<void>;
}

export interface DeliveryDeps {
  db: Db;
  config: AutomationsConfig;
  logger: Logger;
  instance: InstanceService;
  eventLog: EventLogService;
  notifications: NotificationsService | undefined;
  mailer: Mailer | undefined;
  pluginId: string;
  /** `annotate` and `scaffolder` (actions/entityActions.ts). */
  entityActions?: EntityActions;
}

interface Outcome {
  row: DeliveryRow;
  outcome: AttemptOutcome;
}

/** Outcomes written per statement at most. */
const RECORD_BATCH = 500;

/**
 * Sends pending deliveries. A replica claims due deliveries with a lease (`lease_owner`,
 * `lease_until`) in one UPDATE over rows picked with `FOR UPDATE SKIP LOCKED`, so replicas
 * never take the same one; a replica that dies mid-delivery leaves its lease to expire, and any
 * replica then claims the delivery again. Each claim counts as an attempt, and the attempt
 * number is the claim's token: an outcome is written only while the delivery is still leased
 * to this replica under the same attempt. Receivers see at-least-once delivery and can
 * deduplicate on the `idempotency-key` header.
 *
 * Three things overlap, so that no step waits for a database round trip of another:
 * - claiming: one claim at a time, of up to two slots' worth per request slot (the second
 *   half waits in a local queue, so a slot that frees up starts its next request at once);
 * - sending: at most `deliveryConcurrency` requests in flight;
 * - recording: outcomes are gathered for a few milliseconds (or while the previous write
 *   runs) and written in one statement per batch. A slot is free as soon as its answer is in,
 *   not once it is written; claimed deliveries whose outcome is not written yet are bounded
 *   (four slots' worth per request slot), so a slow database holds the claims back.
 */
export class DeliveryWorker {
  private sending = 0;
  /** Claimed, not sent yet. */
  private readonly queue: DeliveryRow[] = [];
  /** Answered, outcome not written yet (including the batch being written). */
  private unrecorded = 0;
  private claiming: Promise<void> | undefined;
  /** Something may be due that the last claim did not take (new deliveries, a full page, a poll). */
  private maybeDue = false;
  private stopped = false;
  private readonly active = new Set<Promise<void>>();
  private outcomes: Outcome[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private recording: Promise<void> | undefined;
  private readonly claimedAt = new WeakMap<DeliveryRow, number>();
  private readonly agents = createOutboundAgents();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Deliveries may be due (new ones were inserted, a retry's time came, one was re-delivered): claim what there is room for. */
  wake(): void {
    this.maybeDue = true;
    this.fill();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.claiming;
    await Promise.allSettled([...this.active]);
    await this.flush();
    // Claimed but never sent: give them back (the claim's attempt is undone), so another
    // replica need not wait for the lease to end.
    const unsent = this.queue.splice(0);
    if (unsent.length) await this.release(unsent).catch((e: unknown) => this.deps.logger.warn({ err: e }, 'could not release unsent deliveries'));
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private get concurrency(): number {
    return this.deps.config.deliveryConcurrency;
  }

  /** How many deliveries may be claimed now. */
  private room(): number {
    const c = this.concurrency;
    const claimed = this.sending + this.queue.length;
    return Math.max(0, Math.min(2 * c - claimed, 4 * c - claimed - this.unrecorded));
  }

  private fill(): void {
    if (this.claiming || this.stopped || !this.maybeDue) return;
    const room = this.room();
    // Claim in batches: wait for a few free slots unless the local queue is empty.
    if (room === 0 || (this.queue.length > 0 && room < Math.max(1, Math.floor(this.concurrency / 8)))) return;
    this.maybeDue = false;
    this.claiming = this.claim(room).then(
      (rows) => {
        // A full page: more may be due.
        if (rows.length === room) this.maybeDue = true;
        const now = performance.now();
        for (const row of rows) this.claimedAt.set(row, now);
        this.queue.push(...rows);
        this.claiming = undefined;
        this.startQueued();
        this.fill();
      },
      (e: unknown) => {
        this.claiming = undefined;
        // The next poll tries again.
        if (!this.stopped) this.deps.logger.error({ err: e }, 'could not claim deliveries');
      },
    );
  }

  private startQueued(): void {
    let stale: DeliveryRow[] | undefined;
    while (!this.stopped && this.sending < this.concurrency) {
      const row = this.queue.shift();
      if (!row) break;
      // Waited so long for a slot (slow receivers) that the lease may run out while it is sent:
      // give it back instead, to be claimed afresh.
      const now = performance.now();
      if (now - (this.claimedAt.get(row) ?? now) > this.leaseMs() / 2) (stale ??= []).push(row);
      else this.start(row);
      this.claimedAt.delete(row);
    }
    if (stale) {
      this.maybeDue = true;
      this.release(stale).catch((e: unknown) => this.deps.logger.warn({ err: e }, 'could not release deliveries that waited too long'));
    }
  }

  private start(row: DeliveryRow): void {
    this.sending++;
    const p = this.attempt(row)
      .catch((e: unknown): AttemptOutcome => {
        this.deps.logger.error({ err: e, delivery: row.id }, 'delivery failed unexpectedly');
        return { ok: false, retryable: true, durationMs: 0, error: `unexpected error: ${e instanceof Error ? e.message : String(e)}` };
      })
      .then((outcome) => {
        this.sending--;
        this.unrecorded++;
        this.outcomes.push({ row, outcome });
        this.scheduleFlush();
        this.startQueued();
        this.fill();
      })
      .finally(() => this.active.delete(p));
    this.active.add(p);
  }

  /** A claim's lease: at least a request's timeout plus 5 s. */
  private leaseMs(): number {
    const { config } = this.deps;
    return Math.max(config.leaseSeconds, Math.ceil(config.defaultTimeoutMs / 1000) + 5) * 1000;
  }

  private async claim(limit: number): Promise<DeliveryRow[]> {
    const { db, instance } = this.deps;
    const leaseSeconds = this.leaseMs() / 1000;
    const result = await db.raw(
      `update deliveries d set lease_owner = ?, lease_until = now() + make_interval(secs => ?), attempts = d.attempts + 1, updated_at = now()
        where d.id in (
          select id from deliveries
           where status = 'pending' and next_attempt_at <= now() and (lease_until is null or lease_until < now())
           order by next_attempt_at limit ? for update skip locked)
        returning d.id, d.run_id, d.automation_id, d.action_index, d.action_type, d.idempotency_key, d.status, d.attempts, d.max_attempts, d.request`,
      [instance.replicaId, leaseSeconds, limit],
    );
    return result.rows as DeliveryRow[];
  }

  /** Undoes the claim of deliveries that were not sent. */
  private async release(rows: DeliveryRow[]): Promise<void> {
    const { db, instance } = this.deps;
    await db.raw(
      `update deliveries d set lease_owner = null, lease_until = null, attempts = d.attempts - 1, updated_at = now()
         from (values ${rows.map(() => '(?::uuid, ?::int)').join(', ')}) as v(id, attempt)
        where d.id = v.id and d.lease_owner = ? and d.attempts = v.attempt`,
      [...rows.flatMap((r) => [r.id, r.attempts]), instance.replicaId],
    );
  }

  private scheduleFlush(): void {
    // While a write runs, outcomes gather for the next one; otherwise wait a few ms for company.
    if (this.recording || this.flushTimer) return;
    this.flushTimer = setTimeout(() => void this.flush(), 5);
  }

  /** Writes every gathered outcome, a batch per statement, one write at a time. */
  private flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.recording) return this.recording;
    this.recording = (async () => {
      while (this.outcomes.length > 0) {
        const batch = this.outcomes.splice(0, RECORD_BATCH);
        try {
          await this.record(batch);
        } catch (e) {
          // The leases run out and the deliveries are sent again (at least once).
          this.deps.logger.error({ err: e, deliveries: batch.length }, 'could not record delivery outcomes');
        } finally {
          this.unrecorded -= batch.length;
        }
      }
    })().finally(() => {
      this.recording = undefined;
      if (this.outcomes.length > 0) this.scheduleFlush();
      this.fill();
    });
    return this.recording;
  }

  /** Runs the action once. */
  async attempt(row: DeliveryRow): Promise<AttemptOutcome> {
    const { config, notifications, mailer, pluginId } = this.deps;
    const r = row.request;
    switch (row.action_type) {
      case 'webhook':
      case 'slack':
      case 'teams': {
        const body = JSON.stringify(r['body'] ?? null);
        const headers: Record<string, string> = {
          ...((r['headers'] as Record<string, string>) ?? {}),
          'idempotency-key': row.idempotency_key,
          'x-atrium-delivery': row.id,
          'x-atrium-automation': row.automation_id,
        };
        const secretName = r['secret'] as string | undefined;
        if (secretName) {
          const secret = config.secrets[secretName];
          if (!secret) return { ok: false, retryable: false, durationMs: 0, error: `secret ${secretName} is not configured under automations.secrets` };
          const timestamp = String(Math.floor(Date.now() / 1000));
          headers['x-atrium-timestamp'] = timestamp;
          headers['x-atrium-signature'] = signBody(secret, timestamp, body);
        }
        const result = await sendRequest(
          { method: String(r['method'] ?? 'POST'), url: String(r['url']), headers, body },
          {
            timeoutMs: Number(r['timeoutMs'] ?? config.defaultTimeoutMs),
            maxLogBytes: config.responseLogBytes,
            allowedHosts: config.allowedHosts,
            agents: this.agents,
          },
        );
        const status = result.statusCode;
        const ok = status !== undefined && status >= 200 && status < 300;
        const retryable = !ok && !result.refused && (status === undefined || status >= 500 || status === 408 || status === 429);
        return { ...result, ok, retryable, ...(status !== undefined && !ok && !result.error ? { error: `the receiver answered ${status}` } : {}) };
      }
      case 'notify': {
        const started = performance.now();
        if (!notifications) return { ok: false, retryable: false, durationMs: 0, error: 'the notifications plugin is not installed' };
        try {
          await notifications.send({
            recipients: r['recipients'] as string[],
            source: pluginId,
            topic: `automations.${row.automation_id}`,
            title: String(r['title']),
            ...(r['description'] ? { description: String(r['description']) } : {}),
            ...(r['link'] ? { link: String(r['link']) } : {}),
            severity: (r['severity'] as 'normal') ?? 'normal',
            ...(r['entityRef'] ? { entityRef: String(r['entityRef']) } : {}),
            // One notification per delivery even when it is retried.
            scope: `delivery:${row.idempotency_key}`,
          });
          return { ok: true, retryable: false, durationMs: Math.round(performance.now() - started) };
        } catch (e) {
          const message = (e as Error).message;
          return {
            ok: false,
            retryable: !/InputError|not allowed|refused/i.test(`${(e as Error).name} ${message}`),
            durationMs: Math.round(performance.now() - started),
            error: message,
          };
        }
      }
      case 'email': {
        const started = performance.now();
        if (!mailer?.enabled())
          return {
            ok: false,
            retryable: false,
            durationMs: 0,
            error: 'email is off: the notifications plugin sends email once notifications.email is configured',
          };
        try {
          await mailer.send({ to: r['to'] as string[], subject: String(r['subject']), text: String(r['text']) });
          return { ok: true, retryable: false, durationMs: Math.round(performance.now() - started) };
        } catch (e) {
          // A bad address or subject (InputError) will not get better; an SMTP server that is down may.
          const bad = (e as Error).name === 'InputError';
          return { ok: false, retryable: !bad, durationMs: Math.round(performance.now() - started), error: (e as Error).message };
        }
      }
      case 'emit':
        // Written in record(), in the same transaction as the outcome.
        return { ok: true, retryable: false, durationMs: 0 };
      default:
        if (this.deps.entityActions?.handles(row.action_type)) return this.deps.entityActions.attempt(row);
        return { ok: false, retryable: false, durationMs: 0, error: `unknown action type ${row.action_type}` };
    }
  }

  /**
   * Writes a batch of outcomes in one statement: each delivery's new state (only where the lease
   * and the attempt are still this replica's; an outcome whose claim was lost is dropped, the
   * other replica's counts), its attempt in the log, and the runs that are now finished. Successful
   * `emit` actions append their events in the same transaction.
   */
  private async record(batch: Outcome[]): Promise<void> {
    const { db, config, instance, eventLog } = this.deps;
    const planned = batch.map(({ row, outcome }) => {
      const exhausted = row.attempts >= row.max_attempts;
      const status = outcome.ok ? 'succeeded' : !outcome.retryable ? 'failed' : exhausted ? 'dead' : 'pending';
      const delay = status === 'pending' ? backoffMs(row.attempts, config.backoffBaseMs, config.backoffMaxMs) : 0;
      return { row, outcome, status, delay };
    });
    const values = planned.map(() => '(?::uuid, ?::int, ?::text, ?::float8, ?::int, ?::int, ?::text, ?::text)').join(', ');
    const bindings = [
      ...planned.flatMap((p) => [
        p.row.id,
        p.row.attempts,
        p.status,
        p.delay / 1000,
        p.outcome.statusCode ?? null,
        Math.round(p.outcome.durationMs),
        storable(p.outcome.error),
        storable(p.outcome.response),
      ]),
      instance.replicaId,
      instance.replicaId,
    ];
    // A run is finished when none of its deliveries is pending (the batch's new statuses count,
    // the others as they were): succeeded if all succeeded, failed otherwise.
    const sql = `
      with v (id, attempt, status, delay, code, duration, error, response) as (values ${values}),
      upd as (
        update deliveries d set status = v.status, lease_owner = null, lease_until = null,
               next_attempt_at = now() + make_interval(secs => v.delay), last_status_code = v.code,
               last_duration_ms = v.duration, last_error = v.error, updated_at = now()
          from v
         where d.id = v.id and d.lease_owner = ? and d.attempts = v.attempt
        returning d.id, d.run_id, d.status),
      logged as (
        insert into delivery_attempts (delivery_id, attempt, duration_ms, status_code, error, response, replica)
        select v.id, v.attempt, v.duration, v.code, v.error, v.response, ? from v join upd on upd.id = v.id),
      settled as (
        update runs r
           set status = case when exists (select 1 from deliveries d left join upd u on u.id = d.id
                                           where d.run_id = r.id and coalesce(u.status, d.status) <> 'succeeded')
                             then 'failed' else 'succeeded' end
         where r.id in (select run_id from upd where status <> 'pending')
           and r.status in ('running', 'failed', 'succeeded')
           and not exists (select 1 from deliveries d left join upd u on u.id = d.id
                            where d.run_id = r.id and coalesce(u.status, d.status) = 'pending'))
      select id::text as id from upd`;
    const write = async (q: Db | Knex.Transaction) => new Set(((await q.raw(sql, bindings)).rows as Array<{ id: string }>).map((r) => r.id));
    const emits = planned.filter((p) => p.row.action_type === 'emit' && p.outcome.ok);
    if (emits.length === 0) {
      await write(db);
      return;
    }
    await db.transaction(async (trx) => {
      const written = await write(trx);
      const mine = emits.filter((p) => written.has(p.row.id));
      if (mine.length === 0) return;
      await eventLog.append(
        mine.map(({ row }) => {
          const r = row.request;
          const entityRef = r['entityRef'] as string | null;
          return {
            topic: String(r['event']),
            payload: r['payload'] ?? {},
            ...(entityRef ? { entityRef } : {}),
            actor: 'plugin:automations',
            meta: { hop: Number(r['hop'] ?? 1), causedBy: { automation: row.automation_id, delivery: row.id } },
          };
        }),
        { trx },
      );
    });
  }
}

/** Text as Postgres stores it: a NUL (which a receiver may send) would fail the whole batch's write. */
function storable(text: string | undefined): string | null {
  return text === undefined ? null : text.replaceAll('\u0000', '\uFFFD');
}
