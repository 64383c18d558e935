import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventHandler, EventsService, Logger } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import pg from 'pg';

const CHANNEL = 'atrium_events';
// Postgres caps NOTIFY payloads at 8000 bytes; larger events go through a table.
const INLINE_LIMIT = 7000;

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

  async start(): Promise<void> {
    if (!this.pgConfig) return;
    const client = new pg.Client(this.pgConfig);
    client.on('error', (e) => this.logger.error({ err: e }, 'event listener connection failed'));
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      void this.receive(msg.payload).catch((e) => this.logger.warn({ err: e }, 'dropped a malformed event'));
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.listener = client;
  }

  service(): EventsService {
    return {
      publish: (topic, payload) => this.publish(topic, payload),
      publishMany: (topic, payloads) => this.publishMany(topic, payloads),
      subscribe: (topic, handler) => this.subscribe(topic, handler as EventHandler),
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
      const [row] = await this.hostDb('event_payloads').insert({ body: JSON.stringify(body) }).returning('id');
      wire = JSON.stringify({ ref: Number(row.id ?? row), origin: this.replicaId } satisfies Wire);
    }
    await this.hostDb.raw('select pg_notify(?, ?)', [CHANNEL, wire]);
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    const sub = { topic, handler };
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
    await this.drain();
    if (this.listener) await this.listener.end().catch(() => {});
    this.listener = undefined;
  }
}

function matches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}
