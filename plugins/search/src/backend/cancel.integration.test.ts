import { startTestBackend, testPostgresUrl, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPlugin } from './plugin.js';
import { cancelOnAbort, isCancelledStatement } from './searchQuery.js';

const url = testPostgresUrl();
if (!url) console.warn('[search] ATRIUM_TEST_POSTGRES_URL is not set: cancelling abandoned searches (Postgres only) is not tested.');

describe.skipIf(!url)('an abandoned search is cancelled on a Postgres server', () => {
  let t: TestBackend;
  beforeAll(async () => {
    t = await startTestBackend({ plugins: [searchPlugin], database: 'postgres' });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('stops the running statement when the caller goes away, and the connection serves the next search', async () => {
    const db = await t.backend.database.forSchema('search');
    const gone = new AbortController();
    const started = db.transaction(async (trx) => {
      const stop = await cancelOnAbort(db, trx, gone.signal);
      try {
        await trx.raw('select pg_sleep(30)');
      } finally {
        await stop();
      }
    });
    setTimeout(() => gone.abort(), 200);
    const error = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCancelledStatement(error)).toBe(true);
    expect(((await db.raw('select 1 as one')) as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
  });

  it('a caller that goes away after its statement finished stops nothing that runs later on the connection', async () => {
    const db = await t.backend.database.forSchema('search');
    const gone = new AbortController();
    await db.transaction(async (trx) => {
      // The transaction's settings come in the same statement as the process id.
      const stop = await cancelOnAbort(db, trx, gone.signal, undefined, { enable_seqscan: 'off' });
      expect(((await trx.raw('show enable_seqscan')) as { rows: unknown[] }).rows).toEqual([{ enable_seqscan: 'off' }]);
      await stop();
    });
    gone.abort();
    // Every pooled connection runs a statement longer than a cancel takes to arrive: none is stopped.
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => db.raw('select pg_sleep(0.3), 1 as one')));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
