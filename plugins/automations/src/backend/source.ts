import type { EventLogAppend, EventLogEntry, EventLogService, EventsService, InstanceService, Logger } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import { techdocsBuildFinished } from '@atrium/plugin-techdocs/common';

/** One changed path of a catalog `updated` event (`old` absent: added; `new` absent: removed). */
export interface PathChange {
  path: string[];
  old?: unknown;
  new?: unknown;
}

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
  /** Catalog entity events: the entity the log carries, and an update's changed paths. */
  logEntity?: Entity | null;
  changes?: PathChange[];
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
  /**
   * The catalog entity events of these entities after `position`, in order, by entity ref.
   * `behind`: the follower read a full page, so many events may follow.
   */
  entityEventsAfter?(position: string, entityRefs: readonly string[], behind: boolean): Promise<Map<string, SourceEvent[]>>;
}

/**
 * Event-log topics that mean a built-in trigger. Any other topic triggers the automations whose
 * trigger type is the topic itself (a plugin's registered trigger, `scaffolder.task.failed`, ...).
 * `automations.*` topics are what this plugin's BusFeed appends for plugins that do not append
 * their own events yet.
 */
export const TOPIC_TRIGGERS: Record<string, string> = {
  'catalog.entity.created': 'entity.created',
  'catalog.entity.updated': 'entity.updated',
  'catalog.entity.deleted': 'entity.deleted',
  'catalog.entity.orphaned': 'entity.orphaned',
  'catalog.location.error': 'location.error',
  'automations.techdocs.build.failed': 'techdocs.build.failed',
  'scorecards.level.changed': 'scorecard.level-changed',
  'scorecards.level-changed': 'scorecard.level-changed',
  'scorecards.initiative.deadline-approaching': 'initiative.deadline-approaching',
  'scorecards.initiative.deadline-passed': 'initiative.deadline-passed',
  'scaffolder.task.completed': 'scaffolder.task.succeeded',
};

const CATALOG_ENTITY_TOPICS = 'catalog.entity.*';
const LOOKAHEAD_PAGE = 1000;

export const triggerOfTopic = (topic: string): string => TOPIC_TRIGGERS[topic] ?? topic;

export const ENTITY_TRIGGERS = new Set(['entity.created', 'entity.updated', 'entity.deleted', 'entity.orphaned']);

/** Turns an event-log entry into what the engine sees; the engine fills `before`/`after` of entity events from what they carry. */
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
  if (ENTITY_TRIGGERS.has(type)) {
    // The catalog's payloads: `entity` (created, deleted, orphaned) or `changes` (updated).
    const rest = { ...payload };
    delete rest['entity'];
    delete rest['changes'];
    out.payload = rest;
    out.logEntity = (payload['entity'] as Entity | undefined) ?? null;
    out.changes = Array.isArray(payload['changes']) ? (payload['changes'] as PathChange[]) : [];
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

  async entityEventsAfter(position: string, entityRefs: readonly string[], behind: boolean): Promise<Map<string, SourceEvent[]>> {
    const wanted = new Set(entityRefs);
    const out = new Map<string, SourceEvent[]>();
    const add = (entries: EventLogEntry[]) => {
      for (const entry of entries) {
        if (!entry.entityRef || !wanted.has(entry.entityRef)) continue;
        const list = out.get(entry.entityRef) ?? [];
        list.push(fromLogEntry(entry));
        out.set(entry.entityRef, list);
      }
    };
    // Usually the follower is at the head: one read holds every later entity event.
    if (!behind) {
      const all = await this.log.read({ after: position, topics: [CATALOG_ENTITY_TOPICS], limit: LOOKAHEAD_PAGE });
      if (all.events.length < LOOKAHEAD_PAGE) {
        add(all.events);
        return out;
      }
    }
    // Behind (a bulk load): each entity's own later events, through the (entity_ref, id) index.
    for (const ref of wanted) {
      let after = position;
      for (;;) {
        const page = await this.log.read({ after, entityRef: ref, topics: [CATALOG_ENTITY_TOPICS], limit: LOOKAHEAD_PAGE });
        add(page.events);
        if (page.events.length < LOOKAHEAD_PAGE) break;
        after = page.next;
      }
    }
    return out;
  }
}

/**
 * Events other plugins announce only on the events bus (today: TechDocs build failures), appended
 * to the event log as `automations.*` topics so automations can follow them durably. Only the
 * replica that published an event appends it (every replica hears every event). An event heard
 * by a replica that dies in the moment before its append is lost; a plugin that appends its own
 * events to the log (as the catalog does) has no such gap.
 */
export class BusFeed {
  private offs: Array<() => void> = [];
  /** Failures heard in this turn of the event loop, appended together (a bulk sync announces many at once). */
  private pending: EventLogAppend[] = [];

  constructor(private readonly deps: { events: EventsService; eventLog: EventLogService; instance: InstanceService; logger: Logger }) {}

  start(): void {
    const { events, instance } = this.deps;
    this.offs.push(
      events.subscribe(techdocsBuildFinished, (e) => {
        if (e.origin !== instance.replicaId || e.payload.status !== 'failed') return;
        if (this.pending.length === 0) setImmediate(() => this.flush());
        this.pending.push({ topic: 'automations.techdocs.build.failed', entityRef: e.payload.entityRef, payload: { ...e.payload }, actor: 'plugin:techdocs' });
      }),
    );
  }

  private flush(): void {
    const entries = this.pending.splice(0);
    if (entries.length === 0) return;
    this.deps.eventLog
      .append(entries)
      .catch((err: unknown) => this.deps.logger.error({ err, count: entries.length }, 'could not append TechDocs build failures to the event log'));
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    this.flush();
  }
}
