import {
  defineEventTopic,
  type EventLogFollowOptions,
  type EventLogPage,
  type EventLogService,
  type EventsService,
  type Logger,
} from '@atrium/backend-plugin-api';
import type { EventLogStore } from './EventLogStore.js';

/** Published (in process and to every replica) after a transaction that appended events commits. */
export const eventLogAppended = defineEventTopic<{ lastId: string }>('host.eventlog.appended');

export interface CreateEventLogOptions {
  store: EventLogStore;
  events: EventsService;
  logger: Logger;
  retentionDays: number;
}

/** The host's `coreServices.eventLog`: the store plus wake-ups on the events bus and `follow`. */
export function createEventLog(options: CreateEventLogOptions): EventLogService {
  const { store, events, logger, retentionDays } = options;
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeUpto = '0';
  const announce = (lastId: string) => {
    if (BigInt(lastId) > BigInt(wakeUpto)) wakeUpto = lastId;
    if (wakeTimer) return;
    // Several commits within a few ms share one NOTIFY.
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      events.publish(eventLogAppended, { lastId: wakeUpto }).catch((e: unknown) => logger.warn({ err: e }, 'event log: wake-up not sent'));
    }, 5);
    wakeTimer.unref();
  };

  return {
    async append(list, appendOptions) {
      const trx = appendOptions?.trx;
      const ids = await store.append(list, trx);
      const last = ids[ids.length - 1];
      if (last === undefined) return ids;
      const done = trx ? (trx as unknown as { executionPromise?: Promise<unknown> }).executionPromise : undefined;
      if (done)
        done.then(
          () => announce(last),
          () => {},
        );
      else if (!trx) announce(last);
      return ids;
    },
    read: (readOptions) => store.read(readOptions),
    head: async () => (await store.horizon()).toString(),
    stats: () => store.stats(retentionDays),
    follow(followOptions: EventLogFollowOptions, handler: (page: EventLogPage) => Promise<void> | void) {
      return follow(store, events, logger, followOptions, handler);
    },
  };
}

function follow(
  store: EventLogStore,
  events: EventsService,
  logger: Logger,
  options: EventLogFollowOptions,
  handler: (page: EventLogPage) => Promise<void> | void,
) {
  const pollMs = Math.max(10, options.pollIntervalMs ?? 5000);
  let cursor = String(options.after ?? '0');
  let stopped = false;
  let woken = false;
  let wake: (() => void) | undefined;
  const unsubscribe = events.subscribe(eventLogAppended, () => {
    woken = true;
    wake?.();
  });
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  const loop = (async () => {
    let failures = 0;
    while (!stopped) {
      woken = false;
      let more = false;
      try {
        const page = await store.read({ ...options, after: cursor });
        if (page.events.length > 0 && !stopped) await handler(page);
        more = page.events.length > 0 && page.next !== cursor && page.events.length === Math.max(1, Math.min(1000, Math.floor(options.limit ?? 100)));
        cursor = page.next;
        failures = 0;
      } catch (e) {
        failures++;
        logger.warn({ err: e, after: cursor }, 'event log follower: reading or handling a batch failed; retrying the same batch');
        await pause(Math.min(pollMs, 200 * 2 ** Math.min(failures, 6)));
        continue;
      }
      if (!more) await pause(pollMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
    },
  };
}
