import { defineRoute, InputError, type Caller, type EventLogEntry, type EventLogService, type PermissionsService } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';
import type { Response } from 'express';
import { CATALOG_LOG_TOPICS, catalogEntityRemoved, catalogEntityUpserted, catalogLocationError } from '../../common/index.js';
import { finalEntitiesByRefs } from '../query/queryEntities.js';
import { READ_ENTITIES, READ_LOCATIONS, type CatalogRouteServices } from './services.js';
import { visibleEntityEvents, type EntityEvent } from './visibleEvents.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /events: catalog changes as server-sent events, so open pages update without polling.
 * `event: entity` carries `{ type: 'upserted' | 'removed', entityRef }`; `event: location`
 * carries `{ locationId, errorCount }` when a location read reports errors. A comment line
 * every 15 s keeps proxies from closing an idle stream. A caller sees only events of entities it
 * may read (under a policy: one batched decision per flush, see visibleEvents.ts), and location
 * events only with `catalog.location.read`.
 *
 * Each event's `id` is its position in the host's event log, and the stream is read from that
 * log: a client that reconnects (to this or any other replica) with `Last-Event-ID` gets every
 * event after it, none twice. Events the caller may not see advance the id with an empty message.
 */
export const catalogEventStream = defineRoute<CatalogRouteServices>({
  method: 'get',
  path: '/events',
  permission: READ_ENTITIES,
  summary: 'Catalog changes as server-sent events: `entity` {type: upserted|removed, entityRef}, `location` {locationId, errorCount}',
  response: { description: 'An event stream that stays open', contentType: 'text/event-stream', schema: { type: 'string' } },
  handler: async ({ req, res, caller }, { bus, db, permissions, eventLog }) => {
    if (eventLog) return streamFromLog(req, res, caller, db, permissions, eventLog);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 5000\n\n');
    let id = 0;
    const send = (event: string, data: unknown) => {
      res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    // What the caller may see, settled once per connection (the caller is fixed for the stream).
    const entityEvents = permissions
      .queryConditions(caller, READ_ENTITIES)
      .then((v) =>
        v.result === 'all'
          ? sendEntity
          : v.result === 'none'
            ? undefined
            : visibleEntityEvents(permissions, caller, (refs) => finalEntitiesByRefs(db, refs), sendEntity),
      );
    const locationEvents = permissions.authorize(caller, { permission: READ_LOCATIONS }).then((d) => d.result === 'ALLOW');
    function sendEntity(e: EntityEvent) {
      send('entity', e);
    }
    const onEntity = (e: EntityEvent) => void entityEvents.then((deliver) => deliver?.(e));
    const unsubscribe = [
      bus.subscribe(catalogEntityUpserted, (e) => onEntity({ type: 'upserted', entityRef: e.payload.entityRef })),
      bus.subscribe(catalogEntityRemoved, (e) => onEntity({ type: 'removed', entityRef: e.payload.entityRef })),
      bus.subscribe(catalogLocationError, (e) => {
        const data = { locationId: e.payload.locationId, errorCount: e.payload.errors?.length ?? 0 };
        void locationEvents.then((ok) => ok && send('location', data));
      }),
    ];
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      for (const off of unsubscribe) off();
    });
  },
});

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};
const STREAM_TOPICS = [CATALOG_LOG_TOPICS.created, CATALOG_LOG_TOPICS.updated, CATALOG_LOG_TOPICS.deleted, CATALOG_LOG_TOPICS.locationError];

/** The stream read from the event log, from `Last-Event-ID` or from now. */
async function streamFromLog(
  req: { headers: Record<string, string | string[] | undefined>; on(event: 'close', fn: () => void): unknown },
  res: Response,
  caller: Caller,
  db: Knex,
  permissions: PermissionsService,
  eventLog: EventLogService,
): Promise<void> {
  const lastEventId = req.headers['last-event-id'];
  const resume = typeof lastEventId === 'string' && lastEventId.trim() !== '' ? lastEventId.trim() : undefined;
  if (resume !== undefined && !/^(0|[1-9][0-9]{0,18})$/.test(resume)) throw new InputError('Last-Event-ID must be an event id from this stream');
  const [visibility, locationsAllowed, start] = await Promise.all([
    permissions.queryConditions(caller, READ_ENTITIES),
    permissions.authorize(caller, { permission: READ_LOCATIONS }).then((d) => d.result === 'ALLOW'),
    resume ?? eventLog.head(),
  ]);
  res.writeHead(200, SSE_HEADERS);
  res.write(`retry: 5000\nid: ${start}\n\n`);
  const visible = new Set<string>();
  const follower = eventLog.follow({ after: start, topics: STREAM_TOPICS, limit: 500, pollIntervalMs: 5000 }, async (page) => {
    const allowed = await entityDecisions(page.events, visibility.result, caller, db, permissions);
    for (const e of page.events) {
      const ref = e.entityRef ?? '';
      if (e.topic === CATALOG_LOG_TOPICS.locationError) {
        const payload = e.payload as { locationId?: string; errors?: unknown[] };
        if (locationsAllowed)
          res.write(`id: ${e.id}\nevent: location\ndata: ${JSON.stringify({ locationId: payload.locationId, errorCount: payload.errors?.length ?? 0 })}\n\n`);
        continue;
      }
      if (e.topic === CATALOG_LOG_TOPICS.deleted) {
        // A removed entity cannot be evaluated: sent when the caller may read everything or saw it on this stream.
        if (visibility.result === 'all' || visible.delete(ref))
          res.write(`id: ${e.id}\nevent: entity\ndata: ${JSON.stringify({ type: 'removed', entityRef: ref })}\n\n`);
        continue;
      }
      if (allowed.has(e)) {
        if (visibility.result !== 'all') visible.add(ref);
        res.write(`id: ${e.id}\nevent: entity\ndata: ${JSON.stringify({ type: 'upserted', entityRef: ref })}\n\n`);
      } else visible.delete(ref);
    }
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

/** The created/updated events of a page the caller may see: all, none, or decided in one batch. */
async function entityDecisions(
  events: EventLogEntry[],
  visibility: 'all' | 'none' | 'filter',
  caller: Caller,
  db: Knex,
  permissions: PermissionsService,
): Promise<Set<EventLogEntry>> {
  const upserts = events.filter((e) => (e.topic === CATALOG_LOG_TOPICS.created || e.topic === CATALOG_LOG_TOPICS.updated) && e.entityRef);
  if (visibility === 'all') return new Set(upserts);
  if (visibility === 'none' || upserts.length === 0) return new Set();
  // The entities as they are now: one gone since is not sent.
  const texts = await finalEntitiesByRefs(db, [...new Set(upserts.map((e) => e.entityRef as string))]);
  const present = upserts.filter((e) => texts.has(e.entityRef as string));
  const decisions = await permissions.authorizeMany(
    caller,
    present.map((e) => ({
      permission: READ_ENTITIES,
      resourceRef: e.entityRef as string,
      resource: JSON.parse(texts.get(e.entityRef as string) as string) as object,
    })),
  );
  return new Set(present.filter((_, i) => decisions[i]?.result === 'ALLOW'));
}
