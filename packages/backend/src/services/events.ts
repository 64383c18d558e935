import { randomUUID } from 'node:crypto';
import {
  eventTopicName,
  type EventEnvelope,
  type EventHandler,
  type EventsService,
  type EventTopic,
  type HealthReport,
  type Logger,
} from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import pg from 'pg';

const CHANNEL = 'atrium_events';
// Postgres caps NOTIFY payloads at 8000 bytes; larger events go through a table.
const INLINE_LIMIT = 7000;
// Backoff between attempts to reopen a lost LISTEN session.
const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 10_000;

interface Subscription {
  topic: string;
  handler: EventHandler;
}

/** One event inline, several inline, or a stored body (one envelope or an array of them). */
type Wire = { e: EventEnvelope } | { es: EventEnvelope[] } | { ref: number; origin: string };

/**
 * In-process publish/subscribe. On a Postgres server, every event is also sent with NOTIFY and
 * other replicas LISTENing deliver it to their own subscribers (they skip their own events,
 * which were delivered in-process already).
 */
export class EventBus {
  private readonly subs = new Set<Subscription>();
  private listener: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private lastError: string | undefined;
  private stopping = false;
  // Changes whenever the LISTEN session is opened or lost: a cache kept valid by other replicas'
  // events is only good while the generation it was filled in is still the current one.
  private generation = 0;
  private readonly pending = new Set<Promise<void>>();
  readonly replicaId: string;

  constructor(
    private readonly logger: Logger,
    private readonly hostDb: Knex,
    private readonly pgConfig?: pg.ClientConfig,
    replicaId: string = randomUUID(),
  ) {
    this.replicaId = replicaId;
  }

  /**
   * Opens the LISTEN session. A session that is lost later (server restart, failover,
   * pg_terminate_backend) is reopened with exponential backoff and LISTENs again; until then
   * status() reports it down, so /readyz takes the replica out of rotation.
   */
  async start(): Promise<void> {
    if (!this.pgConfig) return;
    this.stopping = false;
    await this.connectListener();
  }

  /** Whether this replica currently hears the other replicas' events. */
  status(): HealthReport {
    if (!this.pgConfig) return { status: 'ok', message: 'single process: events are delivered in process' };
    if (this.listener) return { status: 'ok' };
    return {
      status: 'down',
      message: `the LISTEN connection to Postgres was lost (${this.lastError ?? 'not connected'}); reconnecting, attempt ${this.attempts}`,
    };
  }

  /**
   * While this replica hears every other replica's events: a number that changes whenever it may
   * have missed some (the LISTEN session was lost or reopened). Undefined while it hears nothing.
   * A single process (PGlite) hears everything: always 0.
   */
  hearingGeneration(): number | undefined {
    if (!this.pgConfig) return 0;
    return this.listener ? this.generation : undefined;
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ ...this.pgConfig, application_name: `atrium-events:${this.replicaId}` });
    // Failures while connecting are the caller's to handle; only an established session reconnects.
    let established = false;
    let lost = false;
    const onLost = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (!established) return;
      if (this.listener === client) this.listener = undefined;
      this.generation++;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (this.stopping) return;
      this.lastError = e?.message || 'connection closed';
      this.logger.warn({ err: e }, `event listener connection lost (${this.lastError}); other replicas' events are missed until it reconnects`);
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      void this.receive(msg.payload).catch((e) => this.logger.warn({ err: e }, 'dropped a malformed event'));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      lost = true;
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw e;
    }
    if (lost) throw new Error('the connection closed while subscribing');
    if (this.stopping) {
      await client.end().catch(() => {});
      return;
    }
    established = true;
    this.generation++;
    this.listener = client;
    if (this.attempts > 0) this.logger.info({ attempts: this.attempts }, 'event listener reconnected');
    this.attempts = 0;
    this.lastError = undefined;
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(this.attempts, 16));
    this.attempts++;
    // Jitter keeps replicas that lost the server together from reconnecting in lockstep.
    this.reconnectTimer = setTimeout(
      () => {
        this.reconnectTimer = undefined;
        if (this.stopping) return;
        this.connectListener().catch((e: Error) => {
          this.lastError = e.message || String(e);
          this.logger.warn({ err: e, attempts: this.attempts }, 'event listener could not reconnect yet');
          this.scheduleReconnect();
        });
      },
      delay * (0.75 + Math.random() * 0.5),
    );
    this.reconnectTimer.unref();
  }

  service(): EventsService {
    return {
      publish: (topic: string | EventTopic<unknown>, payload: unknown) => this.publish(eventTopicName(topic), payload),
      publishMany: (topic: string | EventTopic<unknown>, payloads: readonly unknown[]) => this.publishMany(eventTopicName(topic), payloads),
      subscribe: (topic: string | EventTopic<unknown>, handler: EventHandler) => this.subscribe(eventTopicName(topic), handler),
    };
  }

  async publish<T>(topic: string, payload: T): Promise<void> {
    const envelope: EventEnvelope<T> = { topic, payload, origin: this.replicaId, publishedAt: new Date().toISOString() };
    this.deliver(envelope);
    await this.send({ e: envelope }, envelope);
  }

  async publishMany<T>(topic: string, payloads: readonly T[]): Promise<void> {
    if (payloads.length === 0) return;
    const publishedAt = new Date().toISOString();
    const envelopes: EventEnvelope<T>[] = payloads.map((payload) => ({ topic, payload, origin: this.replicaId, publishedAt }));
    for (const envelope of envelopes) this.deliver(envelope);
    await this.send({ es: envelopes }, envelopes);
  }

  /** Tells the other replicas: inline when it fits in a NOTIFY, else through event_payloads. */
  private async send(inline: Wire, body: EventEnvelope | EventEnvelope[]): Promise<void> {
    if (!this.pgConfig) return;
    let wire = JSON.stringify(inline);
    if (Buffer.byteLength(wire) > INLINE_LIMIT) {
      const [row] = await this.hostDb('event_payloads')
        .insert({ body: JSON.stringify(body) })
        .returning('id');
      wire = JSON.stringify({ ref: Number(row.id ?? row), origin: this.replicaId } satisfies Wire);
    }
    await this.hostDb.raw('select pg_notify(?, ?)', [CHANNEL, wire]);
  }

  subscribe<T = unknown>(topic: string, handler: EventHandler<T>): () => void {
    const sub: Subscription = { topic, handler: handler as EventHandler };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  private async receive(raw: string): Promise<void> {
    const wire = JSON.parse(raw) as Wire;
    if ('ref' in wire) {
      if (wire.origin === this.replicaId) return;
      const row = await this.hostDb('event_payloads').where({ id: wire.ref }).first('body');
      if (!row) return;
      const body = JSON.parse(row.body) as EventEnvelope | EventEnvelope[];
      for (const envelope of Array.isArray(body) ? body : [body]) this.deliver(envelope, true);
      return;
    }
    const envelopes = 'es' in wire ? wire.es : [wire.e];
    for (const envelope of envelopes) if (envelope.origin !== this.replicaId) this.deliver(envelope, true);
  }

  private deliver(envelope: EventEnvelope, remote = false): void {
    for (const sub of this.subs) {
      if (!matches(sub.topic, envelope.topic)) continue;
      const p = (async () => {
        try {
          await sub.handler(envelope);
        } catch (e) {
          this.logger.error({ err: e, topic: envelope.topic, remote }, `event handler for ${envelope.topic} failed`);
        }
      })();
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    }
  }

  /** Deletes stored large payloads old enough that every replica has read them. */
  async pruneStoredPayloads(olderThanSeconds = 600): Promise<number> {
    return this.hostDb('event_payloads')
      .where('created_at', '<', this.hostDb.raw(`now() - make_interval(secs => ?)`, [olderThanSeconds]))
      .delete();
  }

  /** Waits for handlers already running; used by shutdown and tests. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    await this.drain();
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.end().catch(() => {});
  }
}

function matches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}
