import { defineRoute } from '@atrium/backend-plugin-api';
import { catalogEntityRemoved, catalogEntityUpserted, catalogLocationError } from '../../common/index.js';
import { READ_ENTITIES, type CatalogRouteServices } from './services.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /events: catalog changes as server-sent events, so open pages update without polling.
 * `event: entity` carries `{ type: 'upserted' | 'removed', entityRef }`; `event: location`
 * carries `{ locationId, errorCount }` when a location read reports errors. A comment line
 * every 15 s keeps proxies from closing an idle stream.
 */
export const catalogEventStream = defineRoute<CatalogRouteServices>({
  method: 'get',
  path: '/events',
  permission: READ_ENTITIES,
  summary: 'Catalog changes as server-sent events: `entity` {type: upserted|removed, entityRef}, `location` {locationId, errorCount}',
  response: { description: 'An event stream that stays open', contentType: 'text/event-stream', schema: { type: 'string' } },
  handler: ({ req, res }, { bus }) => {
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
    const unsubscribe = [
      bus.subscribe(catalogEntityUpserted, (e) => send('entity', { type: 'upserted', entityRef: e.payload.entityRef })),
      bus.subscribe(catalogEntityRemoved, (e) => send('entity', { type: 'removed', entityRef: e.payload.entityRef })),
      bus.subscribe(catalogLocationError, (e) => send('location', { locationId: e.payload.locationId, errorCount: e.payload.errors?.length ?? 0 })),
    ];
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      for (const off of unsubscribe) off();
    });
  },
});
