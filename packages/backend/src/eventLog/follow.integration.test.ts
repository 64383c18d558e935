import type { EventLogPage } from '@atrium/backend-plugin-api';
import { waitFor } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigBundle } from '../config/ConfigBundle.js';
import type { Database } from '../database/Database.js';
import { openDatabase } from '../database/openDatabase.js';
import { runMigrations } from '../database/runMigrations.js';
import { createLogger } from '../host/createLogger.js';
import { hostMigrations } from '../host/hostMigrations.js';
import { EventBus } from '../services/events.js';
import { createEventLog } from './createEventLog.js';
import { EventLogStore } from './EventLogStore.js';

describe('eventLog.follow (PGlite, in-process events bus)', () => {
  let database: Database;
  let knex: Knex;
  let bus: EventBus;
  beforeAll(async () => {
    database = (await openDatabase(
      ConfigBundle.fromObject({ backend: { database: { client: 'pglite', connection: ':memory:' } } }, process.cwd(), 'test-config.yaml'),
    )) as Database;
    knex = await database.forSchema('atrium_host');
    await runMigrations(knex, 'atrium_host', hostMigrations);
    bus = new EventBus(createLogger('silent'), knex);
  });
  afterAll(async () => {
    await bus?.stop();
    await database?.close();
  });

  it('hands over each committed batch in order, once, woken by the append (not by its poll), and retries a page whose handler failed', async () => {
    const logger = createLogger('silent');
    const log = createEventLog({ store: new EventLogStore(knex), events: bus.service(), logger, retentionDays: 90 });
    const start = await log.head();
    const pages: EventLogPage[] = [];
    let failOnce = true;
    // A poll interval far beyond the test: only the wake-up can deliver in time.
    const sub = log.follow({ after: start, topics: ['test.follow.*'], limit: 2, pollIntervalMs: 600_000 }, (page) => {
      if (failOnce && page.events.some((e) => (e.payload as { n: number }).n === 3)) {
        failOnce = false;
        throw new Error('handler failed once');
      }
      pages.push(page);
    });
    try {
      await log.append([
        { topic: 'test.follow.a', payload: { n: 1 } },
        { topic: 'test.other.b', payload: { n: 99 } },
        { topic: 'test.follow.a', payload: { n: 2 } },
      ]);
      await knex.transaction(async (trx) => {
        await log.append([{ topic: 'test.follow.b', payload: { n: 3 } }], { trx });
        await log.append([{ topic: 'test.follow.b', payload: { n: 4 } }], { trx });
      });
      await expect(
        knex.transaction(async (trx) => {
          await log.append([{ topic: 'test.follow.b', payload: { n: 5 } }], { trx });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await waitFor(() => pages.flatMap((p) => p.events).length >= 4, { timeoutMs: 10_000 });
      expect(pages.flatMap((p) => p.events.map((e) => (e.payload as { n: number }).n))).toEqual([1, 2, 3, 4]);
      expect(failOnce).toBe(false);
      // Each page's cursor is where the next one starts.
      for (let i = 1; i < pages.length; i++) expect(BigInt(pages[i]!.events[0]!.id) > BigInt(pages[i - 1]!.next)).toBe(true);
    } finally {
      await sub.stop();
    }
  });
});
