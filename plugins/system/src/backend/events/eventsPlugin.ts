import {
  coreServices,
  definePermission,
  definePlugin,
  defineRoute,
  InputError,
  mountRoutes,
  type Caller,
  type EventLogEntry,
  type EventLogService,
  type PermissionsService,
} from '@atrium/backend-plugin-api';
import type { Request, Response } from 'express';

export const EVENTS_FEED_READ = 'events.feed.read';
const ENTITY_READ = 'catalog.entity.read';
const ENTITY_DELETED = 'catalog.entity.deleted';
const HEARTBEAT_MS = 15_000;
const CURSOR = /^(0|[1-9][0-9]{0,18})$/;
const TOPIC_PATTERN = /^(\*|[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*(\.\*)?)$/;

interface FeedServices {
  eventLog: EventLogService;
  permissions: PermissionsService;
}

interface FeedQuery {
  after?: string;
  topics?: string;
  entityRef?: string;
  limit?: number;
  wait?: number;
}

/** One event as the feed serves it. */
export interface FeedEvent {
  id: string;
  topic: string;
  entityRef: string | null;
  actor: string | null;
  createdAt: string;
  payload: unknown;
  meta: Record<string, unknown> | null;
}

function parseTopics(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const topics = raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const t of topics)
    if (!TOPIC_PATTERN.test(t))
      throw new InputError(`topics: "${t.slice(0, 80)}" is not a topic or a prefix pattern such as catalog.*`, {
        errors: [{ path: 'query.topics', message: 'bad topic pattern' }],
      });
  return topics;
}

/**
 * Which of these events the caller may see. An event about an entity needs `catalog.entity.read`
 * on it, asked of the permission service, which looks entities up through the catalog (one batch
 * per page; a `deleted` event is judged on the last form it carries). Any other event needs the
 * read permission of its topic's thing: `<plugin>.<thing>.read` for `<plugin>.<thing>.<verb>`
 * (`catalog.location.error` → `catalog.location.read`); unknown to the policy means denied.
 */
export async function visibleFeedEvents(permissions: PermissionsService, caller: Caller, events: EventLogEntry[]): Promise<EventLogEntry[]> {
  if (events.length === 0) return [];
  const entityEvents = events.filter((e) => e.entityRef);
  const otherEvents = events.filter((e) => !e.entityRef);
  const allowed = new Set<EventLogEntry>();
  if (entityEvents.length > 0) {
    const conditions = await permissions.queryConditions(caller, ENTITY_READ);
    if (conditions.result === 'all') entityEvents.forEach((e) => allowed.add(e));
    else if (conditions.result === 'filter') {
      const decisions = await permissions.authorizeMany(
        caller,
        entityEvents.map((e) => {
          const last = e.topic === ENTITY_DELETED ? (e.payload as { entity?: unknown } | null)?.entity : undefined;
          return { permission: ENTITY_READ, resourceRef: e.entityRef as string, ...(last ? { resource: last } : {}) };
        }),
      );
      // A conditional answer means the entity is not in the catalog (any more): not shown.
      entityEvents.forEach((e, i) => decisions[i]?.result === 'ALLOW' && !decisions[i]?.conditional && allowed.add(e));
    }
  }
  if (otherEvents.length > 0) {
    const names = [...new Set(otherEvents.map((e) => topicPermission(e.topic)))];
    const decisions = await permissions.authorizeMany(
      caller,
      names.map((permission) => ({ permission })),
    );
    const ok = new Set(names.filter((_, i) => decisions[i]?.result === 'ALLOW'));
    otherEvents.forEach((e) => ok.has(topicPermission(e.topic)) && allowed.add(e));
  }
  return events.filter((e) => allowed.has(e));
}

/** Raw pages one answer reads at most while skipping events the caller may not see. */
const MAX_SCANS = 10;

/**
 * Up to `limit` events the caller may see after `after`: reads on past hidden events, one
 * batched check per page read (`visibleFeedEvents`), so a page is full whenever the log holds
 * that many visible events (within MAX_SCANS reads). `next` is the last event returned when the
 * page filled up mid-read, else the read's own `next`; `more` says whether to answer now rather
 * than wait (the page filled up or the scan budget ran out).
 */
export async function readVisiblePage(
  eventLog: EventLogService,
  permissions: PermissionsService,
  caller: Caller,
  filters: { topics?: string[]; entityRef?: string },
  after: string,
  limit: number,
): Promise<{ events: EventLogEntry[]; next: string; more: boolean }> {
  const events: EventLogEntry[] = [];
  let next = after;
  for (let scan = 0; scan < MAX_SCANS; scan++) {
    const page = await eventLog.read({ ...filters, after: next, limit });
    const visible = await visibleFeedEvents(permissions, caller, page.events);
    const room = limit - events.length;
    if (visible.length > room) {
      events.push(...visible.slice(0, room));
      return { events, next: events.at(-1)?.id ?? next, more: true };
    }
    events.push(...visible);
    next = page.next;
    if (events.length === limit) return { events, next, more: true };
    if (page.events.length < limit) return { events, next, more: false };
  }
  return { events, next, more: true };
}

function topicPermission(topic: string): string {
  const [plugin, thing] = topic.split('.');
  return `${plugin}.${thing ?? 'event'}.read`;
}

function toFeed(e: EventLogEntry): FeedEvent {
  return { id: e.id, topic: e.topic, entityRef: e.entityRef, actor: e.actor, createdAt: e.createdAt, payload: e.payload, meta: e.meta };
}

const feedQuerySchema = {
  type: 'object',
  properties: {
    after: { type: 'string', pattern: CURSOR.source, description: "Return events after this id (the previous answer's `next`); default: from the oldest kept" },
    topics: { type: 'string', maxLength: 2000, description: 'Comma-separated topics or prefix patterns (`catalog.entity.*`)' },
    entityRef: { type: 'string', maxLength: 1000, description: 'Only events about this entity (canonical ref)' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    wait: { type: 'integer', minimum: 0, maximum: 60, default: 0, description: 'Long-poll: seconds to wait for an event when there is none yet' },
  },
  additionalProperties: false,
} as const;

/**
 * GET /api/events: the change feed. JSON `{ events, next }` (long-poll with `wait`), or with
 * `Accept: text/event-stream` an SSE stream (`id` = event id, `event` = topic, `data` = the event)
 * that resumes after `Last-Event-ID`.
 */
export const getEventFeed = defineRoute<FeedServices, Record<string, string>, FeedQuery>({
  method: 'get',
  path: '/',
  query: feedQuerySchema,
  permission: EVENTS_FEED_READ,
  summary: 'The durable change feed: events after a cursor (JSON, long-poll with `wait`) or server-sent events with Last-Event-ID resume',
  response: {
    description: 'Events in id order and the cursor to continue from (`next`); with Accept: text/event-stream a stream that stays open',
    schema: {
      type: 'object',
      required: ['events', 'next'],
      properties: { events: { type: 'array', items: { type: 'object' } }, next: { type: 'string' } },
    },
  },
  handler: async ({ query, caller, req, res }, { eventLog, permissions }) => {
    const topics = parseTopics(query.topics);
    const filters = { ...(topics ? { topics } : {}), ...(query.entityRef ? { entityRef: query.entityRef } : {}) };
    if (/\btext\/event-stream\b/.test(String(req.headers.accept ?? ''))) return stream(req, res, caller, query, filters, eventLog, permissions);
    const limit = query.limit ?? 100;
    let after = query.after ?? '0';
    const deadline = Date.now() + (query.wait ?? 0) * 1000;
    for (;;) {
      const page = await readVisiblePage(eventLog, permissions, caller, filters, after, limit);
      after = page.next;
      if (page.events.length > 0 || page.more || Date.now() >= deadline) return { events: page.events.map(toFeed), next: page.next };
      await waitForAppend(eventLog, filters, after, deadline - Date.now(), req);
      if (req.destroyed) return undefined;
    }
  },
});

/** Resolves when an event after `after` may be there (any replica appended), after `ms`, or when the client goes. */
function waitForAppend(eventLog: EventLogService, filters: { topics?: string[]; entityRef?: string }, after: string, ms: number, req: Request): Promise<void> {
  return new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.off('close', finish);
      void follower.stop();
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, ms));
    req.on('close', finish);
    const follower = eventLog.follow({ ...filters, after, limit: 1, pollIntervalMs: 1000 }, () => finish());
  });
}

async function stream(
  req: Request,
  res: Response,
  caller: Caller,
  query: FeedQuery,
  filters: { topics?: string[]; entityRef?: string },
  eventLog: EventLogService,
  permissions: PermissionsService,
): Promise<void> {
  const header = req.headers['last-event-id'];
  const resume = typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
  if (resume !== undefined && !CURSOR.test(resume)) throw new InputError('Last-Event-ID must be an event id from this feed');
  const start = resume ?? query.after ?? (await eventLog.head());
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 5000\nid: ${start}\n\n`);
  const follower = eventLog.follow({ ...filters, after: start, limit: query.limit ?? 500, pollIntervalMs: 5000 }, async (page) => {
    for (const e of await visibleFeedEvents(permissions, caller, page.events))
      res.write(`id: ${e.id}\nevent: ${e.topic}\ndata: ${JSON.stringify(toFeed(e))}\n\n`);
    // Moves the client's Last-Event-ID past events it was not shown.
    res.write(`id: ${page.next}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    void follower.stop();
  });
}

export const eventsRoutes = [getEventFeed];

/** `/api/events`: the host's event log as a change feed for other systems (see docs/architecture.md, "Event log"). */
export const eventsPlugin = definePlugin({
  id: 'events',
  permissions: [
    definePermission({
      name: EVENTS_FEED_READ,
      action: 'read',
      description: 'Read the change feed (GET /api/events); each event is also checked against what the caller may read.',
    }),
  ],
  deps: { eventLog: coreServices.eventLog },
  routes: eventsRoutes,
  setup(ctx) {
    mountRoutes(ctx, eventsRoutes, { eventLog: ctx.deps.eventLog, permissions: ctx.permissions });
  },
});
