import type { Db, EventLogService, InstanceService, Logger } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import type { NotificationsService } from '@atrium/plugin-notifications/backend';
import type { AutomationsConfig } from './config.js';
import { backoffMs, sendRequest, signBody, type OutboundResult } from './http.js';

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
  /** Called after outcomes are written: slots are free again. */
  onSettled?: () => void;
  mailer: Mailer | undefined;
  pluginId: string;
}

/**
 * Sends pending deliveries. A replica claims due deliveries with a lease (`lease_owner`,
 * `lease_until`) in one UPDATE over rows picked with `FOR UPDATE SKIP LOCKED`, so replicas
 * never take the same one; a replica that dies mid-delivery leaves its lease to expire, and any
 * replica then claims the delivery again. Each claim counts as an attempt. Every outcome is
 * written only while the lease is still ours. Receivers see at-least-once delivery and can
 * deduplicate on the `idempotency-key` header.
 */
export class DeliveryWorker {
  private inFlight = 0;
  private stopped = false;
  private readonly active = new Set<Promise<void>>();

  constructor(private readonly deps: DeliveryDeps) {}

  /** Claims and starts what is due, up to the concurrency limit; returns how many it started. */
  async pump(): Promise<number> {
    if (this.stopped) return 0;
    const room = this.deps.config.deliveryConcurrency - this.inFlight;
    if (room <= 0) return 0;
    const claimed = await this.claim(room);
    for (const row of claimed) {
      this.inFlight++;
      const p = this.deliver(row)
        .catch((e: unknown) => this.deps.logger.error({ err: e, delivery: row.id }, 'delivery failed unexpectedly'))
        .finally(() => {
          this.inFlight--;
          this.active.delete(p);
        });
      this.active.add(p);
    }
    return claimed.length;
  }

  get busy(): number {
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.active]);
  }

  private async claim(limit: number): Promise<DeliveryRow[]> {
    const { db, config, instance } = this.deps;
    const leaseSeconds = Math.max(config.leaseSeconds, Math.ceil(config.defaultTimeoutMs / 1000) + 5);
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

  private async deliver(row: DeliveryRow): Promise<void> {
    const outcome = await this.attempt(row);
    await new Promise<void>((resolve, reject) => {
      this.outcomes.push({ row, outcome, resolve, reject });
      if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flushOutcomes(), 5);
    });
  }

  private outcomes: Array<{ row: DeliveryRow; outcome: AttemptOutcome; resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushChain: Promise<void> = Promise.resolve();

  /** Writes the outcomes gathered in the last few milliseconds in one transaction. */
  private flushOutcomes(): Promise<void> {
    this.flushTimer = undefined;
    const batch = this.outcomes.splice(0);
    if (batch.length === 0) return this.flushChain;
    this.flushChain = this.flushChain.then(() =>
      this.record(batch).then(
        () => batch.forEach((b) => b.resolve()),
        (e: unknown) => batch.forEach((b) => b.reject(e)),
      ),
    );
    return this.flushChain;
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
          { timeoutMs: Number(r['timeoutMs'] ?? config.defaultTimeoutMs), maxLogBytes: config.responseLogBytes, allowedHosts: config.allowedHosts },
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
        return { ok: false, retryable: false, durationMs: 0, error: `unknown action type ${row.action_type}` };
    }
  }

  private async record(batch: Array<{ row: DeliveryRow; outcome: AttemptOutcome }>): Promise<void> {
    const { db, config, instance } = this.deps;
    const planned = batch.map(({ row, outcome }) => {
      const exhausted = row.attempts >= row.max_attempts;
      const status = outcome.ok ? 'succeeded' : !outcome.retryable ? 'failed' : exhausted ? 'dead' : 'pending';
      const delay = status === 'pending' ? backoffMs(row.attempts, config.backoffBaseMs, config.backoffMaxMs) : 0;
      return { row, outcome, status, delay };
    });
    await db.transaction(async (trx) => {
      // One statement for the whole batch; a row whose lease ran out (another replica took the
      // delivery) does not match, and its outcome is dropped: the other replica's counts.
      const values = planned.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
      const bindings = planned.flatMap((p) => [
        p.row.id,
        p.status,
        String(p.delay / 1000),
        p.outcome.statusCode ?? null,
        p.outcome.durationMs,
        p.outcome.error ?? null,
      ]);
      const updated = new Set(
        (
          (
            await trx.raw(
              `update deliveries d set status = v.status, lease_owner = null, lease_until = null,
                  next_attempt_at = now() + make_interval(secs => v.delay::float8), last_status_code = v.code::int,
                  last_duration_ms = v.duration::int, last_error = v.error, updated_at = now()
                 from (values ${values}) as v(id, status, delay, code, duration, error)
                where d.id = v.id::uuid and d.lease_owner = ?
                returning d.id`,
              [...bindings, instance.replicaId],
            )
          ).rows as Array<{ id: string }>
        ).map((r) => String(r.id)),
      );
      const mine = planned.filter((p) => updated.has(p.row.id));
      if (mine.length === 0) return;
      await trx('delivery_attempts').insert(
        mine.map(({ row, outcome }) => ({
          delivery_id: row.id,
          attempt: row.attempts,
          duration_ms: outcome.durationMs,
          status_code: outcome.statusCode ?? null,
          error: outcome.error ?? null,
          response: outcome.response ?? null,
          replica: instance.replicaId,
        })),
      );
      const emitted = mine.filter((p) => p.row.action_type === 'emit' && p.outcome.ok);
      if (emitted.length) {
        await this.deps.eventLog.append(
          emitted.map(({ row }) => {
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
      }
      await settleRuns(trx, [...new Set(mine.filter((p) => p.status !== 'pending').map((p) => p.row.run_id))]);
    });
    this.deps.onSettled?.();
  }
}

/** A run is finished when none of its deliveries is pending: succeeded if all succeeded. */
export async function settleRuns(db: Db | Knex.Transaction, runIds: string[]): Promise<void> {
  for (let i = 0; i < runIds.length; i += 500) {
    const ids = runIds.slice(i, i + 500);
    await db.raw(
      `update runs r set status = case when exists (select 1 from deliveries d where d.run_id = r.id and d.status <> 'succeeded') then 'failed' else 'succeeded' end
        where r.id in (${ids.map(() => '?').join(', ')}) and r.status in ('running', 'failed', 'succeeded')
          and not exists (select 1 from deliveries d where d.run_id = r.id and d.status = 'pending')`,
      ids,
    );
  }
}
