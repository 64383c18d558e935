import { defineRoute } from '@atrium/backend-plugin-api';
import { catalogEntityRemoved, catalogEntityUpserted, catalogLocationError } from '../../common/index.js';
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
 */
export const catalogEventStream = defineRoute<CatalogRouteServices>({
  method: 'get',
  path: '/events',
  permission: READ_ENTITIES,
  summary: 'Catalog changes as server-sent events: `entity` {type: upserted|removed, entityRef}, `location` {locationId, errorCount}',
  response: { description: 'An event stream that stays open', contentType: 'text/event-stream', schema: { type: 'string' } },
  handler: ({ req, res, caller }, { bus, db, permissions }) => {
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
