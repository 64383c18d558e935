import { defineRoute } from '@atrium/backend-plugin-api';
import type { SerializedTaskEvent } from '../../common/index.js';
import { afterQuery, sleep, TASK_READ, taskIdParams, taskNotFound, taskOr404, type ScaffolderRouteServices, type TaskIdParams } from './services.js';

const LONG_POLL_MS = 30_000;

/** GET /v2/tasks/:taskId/events: events after `?after=`, waiting up to 30 s for the first. */
export const listTaskEvents = defineRoute<ScaffolderRouteServices, TaskIdParams, { after?: number }>({
  method: 'get',
  path: '/v2/tasks/:taskId/events',
  params: taskIdParams,
  query: afterQuery,
  permission: TASK_READ,
  summary: 'Long-poll events after ?after=',
  response: { description: 'Events', schema: { type: 'array' } },
  responses: taskNotFound,
  handler: async ({ params, query }, { store }) => {
    await taskOr404(store, params.taskId);
    const deadline = Date.now() + LONG_POLL_MS;
    for (;;) {
      const events = await store.listEvents(params.taskId, query.after);
      if (events.length || Date.now() > deadline) return events;
      await sleep(500);
    }
  },
});

/**
 * GET /v2/tasks/:taskId/eventstream: the task's events as server-sent events (`event: log`,
 * `completion`, `cancelled`), read from the database so a stream on any replica sees every
 * replica's work; the stream ends after completion or cancellation.
 */
export const taskEventStream = defineRoute<ScaffolderRouteServices, TaskIdParams, { after?: number }>({
  method: 'get',
  path: '/v2/tasks/:taskId/eventstream',
  params: taskIdParams,
  query: afterQuery,
  permission: TASK_READ,
  summary: 'Server-sent events: log, completion, cancelled',
  response: { description: 'An event stream that ends with the task', contentType: 'text/event-stream', schema: { type: 'string' } },
  responses: taskNotFound,
  handler: async ({ params, query, req, res }, { store }) => {
    const task = await taskOr404(store, params.taskId);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let after = query.after;
    let closed = false;
    req.on('close', () => (closed = true));
    const send = (e: SerializedTaskEvent) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
    let idle = 0;
    while (!closed) {
      const events = await store.listEvents(task.id, after);
      for (const e of events) {
        send(e);
        after = e.id;
        if (e.type === 'completion' || e.type === 'cancelled') closed = true;
      }
      if (closed) break;
      if (!events.length && ++idle % 40 === 0) res.write(': keep-alive\n\n');
      await sleep(events.length ? 50 : 250);
    }
    res.end();
  },
});
