import { defineRoute, ServiceUnavailableError, type AuthService, type Caller, type EventsService, type Logger } from '@atrium/backend-plugin-api';
import type { Request, Response } from 'express';
import { BROADCAST, notificationsChanged, type NotificationsService } from '../../common/index.js';
import { NOTIFICATION_PERMISSIONS } from '../permissions.js';
import { ownRefs, readerOf, type NotificationRouteServices } from './services.js';

/** Changes that arrive within this long of each other cause one recount. */
const COALESCE_MS = 50;

interface OpenStream {
  refs: Set<string>;
  poke(): void;
  close(reason: string): void;
}

/**
 * The open `GET /stream` connections of this replica. One subscription to
 * `notifications.changed` (which ctx.events carries to every replica) serves them all: a change
 * naming one of a stream's refs makes that stream recount and send the new count.
 */
export class StreamRegistry {
  private readonly open = new Set<OpenStream>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly o: {
      service: NotificationsService;
      events: EventsService;
      auth: AuthService;
      logger: Logger;
      heartbeatMs: number;
      resyncMs: number;
      maxStreams: number;
    },
  ) {
    this.unsubscribe = o.events.subscribe(notificationsChanged, (e) => {
      const recipients = e.payload.recipients ?? [];
      for (const s of this.open) if (recipients.some((r) => s.refs.has(r))) s.poke();
    });
  }

  get size(): number {
    return this.open.size;
  }

  serve(req: Request, res: Response, caller: Caller): void {
    if (this.open.size >= this.o.maxStreams)
      throw new ServiceUnavailableError('Too many open notification streams on this server; the app falls back to polling');
    const reader = readerOf(caller);
    const recipients = ownRefs(caller);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Every event carries the whole count, so a reconnect (to any replica) is whole again with
    // its first event: Last-Event-ID needs no replay.
    res.write('retry: 3000\n\n');
    let id = 0;
    let last: number | undefined;
    let closed = false;
    let pending: NodeJS.Timeout | undefined;
    let counting = false;
    let again = false;
    let countedAt = 0;
    const write = (event: string, data: unknown) => {
      if (!closed) res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const recount = async () => {
      if (counting) {
        again = true;
        return;
      }
      counting = true;
      try {
        do {
          again = false;
          countedAt = Date.now();
          const count = await this.o.service.unreadCount(recipients, { reader });
          if (count !== last) {
            last = count;
            write('count', { count });
          }
        } while (again && !closed);
      } catch (err) {
        this.o.logger.warn({ err }, 'notifications: counting for a stream failed');
      } finally {
        counting = false;
      }
    };
    const stream: OpenStream = {
      refs: new Set([...recipients, reader, BROADCAST]),
      poke: () => {
        if (closed || pending) return;
        pending = setTimeout(() => {
          pending = undefined;
          void recount();
        }, COALESCE_MS);
      },
      close: (reason) => {
        if (closed) return;
        write('end', { reason });
        closed = true;
        cleanup();
        res.end();
      },
    };
    // Heartbeat: a comment for proxies, then the caller again (a session that ended or signed out
    // closes the stream with `end`) and, every resyncMs, the count again (an event can be missed).
    const heartbeat = setInterval(() => {
      if (closed) return;
      res.write(': keep-alive\n\n');
      this.o.auth
        .getCaller(req)
        .then((now) => {
          if (readerOf(now) !== reader) stream.close('signed-out');
          else if (Date.now() - countedAt >= this.o.resyncMs) void recount();
        })
        .catch(() => stream.close('unauthenticated'));
    }, this.o.heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      if (pending) clearTimeout(pending);
      this.open.delete(stream);
    };
    req.on('close', () => {
      closed = true;
      cleanup();
    });
    this.open.add(stream);
    void recount();
  }

  closeAll(): void {
    for (const s of [...this.open]) s.close('shutdown');
    this.unsubscribe();
  }
}

/** GET /stream : the caller's unread count as server-sent events, on every change, from any replica. */
export const notificationStream = defineRoute<NotificationRouteServices>({
  method: 'get',
  path: '/stream',
  permission: NOTIFICATION_PERMISSIONS.read,
  summary:
    "The caller's unread count as server-sent events: `count` {count} at once and on every change; `end` {reason} before the server closes it (signed out, shutdown)",
  response: { description: 'An event stream that stays open', contentType: 'text/event-stream', schema: { type: 'string' } },
  responses: { '503': { description: 'Too many open streams on this replica' } },
  handler: ({ req, res, caller }, { streams }) => {
    streams.serve(req, res, caller);
  },
});
