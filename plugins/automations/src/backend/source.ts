import { createHash } from 'node:crypto';
import type { Db, EventLogEntry, EventLogService, EventsService, InstanceService, Logger } from '@atrium/backend-plugin-api';
import { ANNOTATION_ORPHAN, type Entity } from '@atrium/catalog-model';
import { catalogEntityRemoved, catalogEntityUpserted, catalogLocationError, type CatalogService } from '@atrium/plugin-catalog/backend';
import { techdocsBuildFinished } from '@atrium/plugin-techdocs/common';

/** One event as the engine sees it, whatever log it came from. */
export interface SourceEvent {
  /** Unique and stable: the run of an automation for an event is keyed on it. */
  key: string;
  type: string;
  time: string;
  entityRef?: string;
  payload?: unknown;
  before?: Entity | null;
  after?: Entity | null;
  hop: number;
}

/**
 * An ordered, durable log the engine follows with a cursor. `read` returns events strictly
 * after `position`, in order, and the position to store once they are handled; a reader must
 * never return an event whose predecessors may still commit.
 */
export interface EventSource {
  readonly name: string;
  /** The position of the newest event: where a new cursor starts (history is not replayed). */
  head(): Promise<string>;
  read(position: string, limit: number): Promise<{ events: SourceEvent[]; position: string }>;
}

/**
 * Event-log topics that mean a built-in trigger. Any other topic triggers the automations whose
 * trigger type is the topic itself (a plugin's registered trigger, `scaffolder.task.failed`, ...).
 * `automations.*` topics are what this plugin's catalog feed appends until the catalog appends its
 * own changes.
 */
export const TOPIC_TRIGGERS: Record<string, string> = {
  'catalog.entity.created': 'entity.created',
  'catalog.entity.updated': 'entity.updated',
  'catalog.entity.deleted': 'entity.deleted',
  'catalog.entity.orphaned': 'entity.orphaned',
  'catalog.location.error': 'location.error',
  'automations.entity.created': 'entity.created',
  'automations.entity.updated': 'entity.updated',
  'automations.entity.deleted': 'entity.deleted',
  'automations.entity.orphaned': 'entity.orphaned',
  'automations.location.error': 'location.error',
  'automations.techdocs.build.failed': 'techdocs.build.failed',
  'scorecards.level.changed': 'scorecard.level-changed',
  'scorecards.level-changed': 'scorecard.level-changed',
  'scorecards.initiative.deadline-approaching': 'initiative.deadline-approaching',
  'scorecards.initiative.deadline-passed': 'initiative.deadline-passed',
};

export const triggerOfTopic = (topic: string): string => TOPIC_TRIGGERS[topic] ?? topic;

const isEntity = (v: unknown): v is Entity =>
  !!v && typeof v === 'object' && typeof (v as Entity).kind === 'string' && typeof (v as Entity).metadata === 'object';

/** Turns an event-log entry into what the engine sees: entity events give `before`/`after`. */
export function fromLogEntry(e: EventLogEntry): SourceEvent {
  const payload = (e.payload ?? {}) as Record<string, unknown>;
  const type = triggerOfTopic(e.topic);
  const hop = Number((e.meta as { hop?: unknown } | null)?.hop ?? 0);
  const out: SourceEvent = {
    key: `log:${e.id}`,
    type,
    time: e.createdAt,
    ...(e.entityRef ? { entityRef: e.entityRef } : {}),
    payload,
    hop: Number.isFinite(hop) && hop >= 0 ? hop : 0,
  };
  if (type.startsWith('entity.') && type !== 'entity.timer') {
    const after = payload['after'] ?? payload['entity'];
    out.before = isEntity(payload['before']) ? payload['before'] : null;
    out.after = isEntity(after) ? after : null;
    const rest = { ...payload };
    delete rest['before'];
    delete rest['after'];
    delete rest['entity'];
    out.payload = rest;
  }
  return out;
}

/**
 * The host's durable event log (`coreServices.eventLog`). Its reads never pass an event still
 * in flight, so a cursor stored at `next` never skips a late commit.
 */
export class EventLogSource implements EventSource {
  readonly name = 'eventLog';
  constructor(private readonly log: EventLogService) {}

  async head(): Promise<string> {
    return (await this.log.stats()).newestId ?? '0';
  }

  async read(position: string, limit: number): Promise<{ events: SourceEvent[]; position: string }> {
    const page = await this.log.read({ after: position, limit });
    return { events: page.events.map(fromLogEntry), position: page.next };
  }
}

const hashOf = (entity: Entity) => createHash('sha256').update(JSON.stringify(entity)).digest('hex');

/**
 * Appends the catalog's changes to the event log as `automations.entity.*` events with before and
 * after, until the catalog appends its own (`catalog.entity.*`): once one of those is in the log,
 * the feed stops (`automations.catalogFeed: auto`). Only the replica that published a change
 * records it (every replica hears every event), so each change is appended once; the last version
 * of each entity is kept in `entity_snapshots` for the diff. A change heard by a replica that
 * dies before its batch is written (within ~50 ms) is lost: the catalog's own appends, in the
 * transaction of the change, do not have that gap.
 */
export class CatalogFeed {
  private catalogAppends = false;
  private pending = new Map<string, 'upserted' | 'removed'>();
  private other: Array<{ type: string; entityRef?: string; payload: unknown }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private offs: Array<() => void> = [];

  constructor(
    private readonly deps: {
      db: Db;
      events: EventsService;
      eventLog: EventLogService;
      catalog: CatalogService;
      instance: InstanceService;
      logger: Logger;
      mode: 'auto' | 'on' | 'off';
      batchMs?: number;
    },
  ) {}

  start(): void {
    if (this.deps.mode === 'off') return;
    const mine = (origin: string) => origin === this.deps.instance.replicaId;
    const { events } = this.deps;
    this.offs.push(
      events.subscribe(catalogEntityUpserted, (e) => {
        if (mine(e.origin)) this.queue(e.payload.entityRef, 'upserted');
      }),
      events.subscribe(catalogEntityRemoved, (e) => {
        if (mine(e.origin)) this.queue(e.payload.entityRef, 'removed');
      }),
      events.subscribe(catalogLocationError, (e) => {
        if (!mine(e.origin)) return;
        this.other.push({ type: 'automations.location.error', payload: { locationId: e.payload.locationId, errors: e.payload.errors } });
        this.schedule();
      }),
      events.subscribe(techdocsBuildFinished, (e) => {
        if (!mine(e.origin) || e.payload.status !== 'failed') return;
        this.other.push({ type: 'automations.techdocs.build.failed', entityRef: e.payload.entityRef, payload: { ...e.payload } });
        this.schedule();
      }),
    );
  }

  async stop(): Promise<void> {
    for (const off of this.offs) off();
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
  }

  private queue(ref: string, kind: 'upserted' | 'removed') {
    this.pending.set(ref, kind);
    this.schedule();
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.deps.batchMs ?? 50);
  }

  /** Appends what is queued; resolves when done (tests and shutdown wait on it). */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.flushNow())
      .catch((e: unknown) => this.deps.logger.error({ err: e }, 'could not append catalog changes to the event log'));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const batch = [...this.pending.entries()].slice(0, 1000);
    for (const [ref] of batch) this.pending.delete(ref);
    const other = this.other.splice(0);
    if (this.pending.size > 0) this.schedule();
    if (batch.length === 0 && other.length === 0) return;
    if (this.deps.mode === 'auto' && !this.catalogAppends) {
      const page = await this.deps.eventLog.read({ topics: ['catalog.entity.*'], limit: 1 });
      this.catalogAppends = page.events.length > 0;
    }
    if (this.catalogAppends) return;
    const refs = batch.map(([ref]) => ref);
    const current = refs.length ? await this.deps.catalog.getEntitiesByRefs(refs) : [];
    const { db } = this.deps;
    await db.transaction(async (trx) => {
      const snapshots = new Map<string, { hash: string; entity: Entity }>();
      for (let i = 0; i < refs.length; i += 1000) {
        const rows = (await trx('entity_snapshots')
          .whereIn('entity_ref', refs.slice(i, i + 1000))
          .select('entity_ref', 'hash', 'entity')) as Array<{ entity_ref: string; hash: string; entity: Entity }>;
        for (const r of rows) snapshots.set(r.entity_ref, { hash: r.hash, entity: r.entity });
      }
      const journal: Array<{ type: string; entityRef?: string; payload?: unknown }> = [...other];
      const upserts: Array<{ entity_ref: string; hash: string; entity: string }> = [];
      const removed: string[] = [];
      batch.forEach(([ref], i) => {
        const after = current[i];
        const before = snapshots.get(ref);
        if (!after) {
          if (before) {
            journal.push({ type: 'automations.entity.deleted', entityRef: ref, payload: { before: before.entity, after: null } });
            removed.push(ref);
          }
          return;
        }
        const hash = hashOf(after);
        if (before?.hash === hash) return;
        if (!before) journal.push({ type: 'automations.entity.created', entityRef: ref, payload: { before: null, after } });
        else {
          journal.push({ type: 'automations.entity.updated', entityRef: ref, payload: { before: before.entity, after } });
          const wasOrphan = before.entity.metadata.annotations?.[ANNOTATION_ORPHAN] === 'true';
          if (!wasOrphan && after.metadata.annotations?.[ANNOTATION_ORPHAN] === 'true') {
            journal.push({ type: 'automations.entity.orphaned', entityRef: ref, payload: { before: before.entity, after } });
          }
        }
        upserts.push({ entity_ref: ref, hash, entity: JSON.stringify(after) });
      });
      for (let i = 0; i < upserts.length; i += 500) {
        await trx('entity_snapshots')
          .insert(upserts.slice(i, i + 500))
          .onConflict('entity_ref')
          .merge({ hash: trx.raw('excluded.hash'), entity: trx.raw('excluded.entity'), updated_at: trx.fn.now() });
      }
      if (removed.length) await trx('entity_snapshots').whereIn('entity_ref', removed).delete();
      if (journal.length)
        await this.deps.eventLog.append(
          journal.map((j) => ({ topic: j.type, payload: j.payload ?? {}, ...(j.entityRef ? { entityRef: j.entityRef } : {}), actor: 'plugin:automations' })),
          { trx },
        );
    });
  }
}
