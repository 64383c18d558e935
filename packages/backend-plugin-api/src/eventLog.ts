import type { Knex } from 'knex';

/** A JSON value as stored in the event log's `payload` and `meta` columns. */
export type EventLogJson = null | boolean | number | string | EventLogJson[] | { [key: string]: EventLogJson };

/** One event to append. */
export interface EventLogAppend {
  /** `<pluginId>.<word>[.<word>…]`, lower case, e.g. `catalog.entity.updated`. */
  topic: string;
  /** Any JSON value (objects are the norm). */
  payload: unknown;
  /** The canonical ref of the entity the event concerns (`component:default/foo`), when there is one. */
  entityRef?: string;
  /** Who caused it: a user or group entity ref, or `plugin:<id>` for work the backend does on its own. */
  actor?: string;
  /** Small extra facts that are not part of the payload (source location, commit, request id …). */
  meta?: Record<string, unknown>;
}

export interface EventLogAppendOptions {
  /**
   * Append inside this transaction (a knex transaction on any plugin's schema of this database):
   * the events commit or roll back with the change they describe. Await the promise; an error
   * rejects so the change can be rolled back. Without `trx` the events commit on their own.
   */
  trx?: Knex.Transaction;
}

/** One event read from the log. */
export interface EventLogEntry {
  /** Position in the log: a decimal string of a bigint, increasing. Use it as a cursor. */
  id: string;
  topic: string;
  payload: unknown;
  entityRef: string | null;
  actor: string | null;
  meta: Record<string, unknown> | null;
  /** ISO time the writing transaction appended it. */
  createdAt: string;
  /** The writing transaction (`pg_current_xact_id()`), as a decimal string: events with one `txid` were one change. */
  txid: string;
}

export interface EventLogReadOptions {
  /** Return events after this id (exclusive); `'0'` or absent = from the oldest kept. */
  after?: string | number;
  /**
   * Only these topics. Each entry is an exact topic or a prefix pattern ending in `*`
   * (`catalog.*`, `catalog.entity.*`; `*` alone = everything).
   */
  topics?: readonly string[];
  /** Only events about this entity (canonical ref). */
  entityRef?: string;
  /** 1..1000, default 100. */
  limit?: number;
  /** Newest first (for history pages), below `before` when given; `after` is then ignored and `next` is the `before` of the next (older) page, `'0'` at the oldest. */
  newestFirst?: boolean;
  before?: string | number;
}

export interface EventLogPage {
  /** In id order (oldest first), or newest first with `newestFirst`. */
  events: EventLogEntry[];
  /**
   * The cursor to read on from (pass it as `after`): the last id returned when the page is full,
   * else the safe horizon reached. Persist this, not the last event's id: with a topic filter the
   * horizon may run far past the last matching event.
   */
  next: string;
}

export interface EventLogFollowOptions extends Omit<EventLogReadOptions, 'after' | 'before' | 'newestFirst'> {
  /** Start after this id (the cursor the consumer persisted); default `'0'`. */
  after?: string | number;
  /** Re-read at least this often even without a wake-up (default 5000 ms). */
  pollIntervalMs?: number;
}

/** Stops a `follow`. Resolves once the handler running (if any) has finished. */
export interface EventLogSubscription {
  stop(): Promise<void>;
}

export interface EventLogStats {
  rows: number;
  bytes: number;
  oldestId: string | null;
  newestId: string | null;
  oldestAt: string | null;
  retentionDays: number;
}

/**
 * The durable, ordered event log (`atrium_host.event_log`). Producers append in the transaction
 * of the change; consumers read by id and never miss an event that commits late (see the
 * architecture's "Event log" section for how).
 */
export interface EventLogService {
  /** Appends events (one multi-row insert) in order; returns their ids. */
  append(events: readonly EventLogAppend[], options?: EventLogAppendOptions): Promise<string[]>;
  /** Reads committed events after a cursor, in id order, never past an event still in flight. */
  read(options?: EventLogReadOptions): Promise<EventLogPage>;
  /**
   * Calls `handler` with each batch of new events, in order, after `options.after`; wakes when
   * any replica appends (the events bus) and polls as a fallback. The handler should persist
   * `page.next` itself; a handler that throws is retried with the same batch after a pause.
   */
  follow(options: EventLogFollowOptions, handler: (page: EventLogPage) => Promise<void> | void): EventLogSubscription;
  /** The current safe horizon: the cursor a new consumer that wants only future events starts from. */
  head(): Promise<string>;
  /** Size of the log, for admin pages. */
  stats(): Promise<EventLogStats>;
}

/** Whether a topic matches a pattern of `EventLogReadOptions.topics`. */
export function eventLogTopicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return topic.startsWith(pattern.slice(0, -1));
  return pattern === topic;
}
