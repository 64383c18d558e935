import type { AuthService, EventsService, PermissionsService } from '@atrium/backend-plugin-api';
import type { Router } from 'express';
import { catalogEntityRemoved, catalogEntityUpserted, catalogLocationError } from '../../common/index.js';

const HEARTBEAT_MS = 15_000;

/**
 * GET /events: catalog changes as server-sent events, so open pages update without polling.
 * `event: entity` carries `{ type: 'upserted' | 'removed', entityRef }`; `event: location`
 * carries `{ locationId, errorCount }` when a location read reports errors. A comment line
 * every 15 s keeps proxies from closing an idle stream.
 */
export function registerEventStreamRoute(
  router: Router,
  ctx: { events: EventsService; auth: AuthService; permissions: PermissionsService },
): void {
  router.get('/events', async (req, res) => {
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'catalog.entity.read' });
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
      ctx.events.subscribe(catalogEntityUpserted, (e) => send('entity', { type: 'upserted', entityRef: e.payload.entityRef })),
      ctx.events.subscribe(catalogEntityRemoved, (e) => send('entity', { type: 'removed', entityRef: e.payload.entityRef })),
      ctx.events.subscribe(catalogLocationError, (e) =>
        send('location', { locationId: e.payload.locationId, errorCount: e.payload.errors?.length ?? 0 }),
      ),
    ];
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      for (const off of unsubscribe) off();
    });
  });
}
