import { definePlugin, searchCollatorsServiceRef, type SearchDocument, type SearchDocumentSink } from '@atrium/backend-plugin-api';
import { createTestPostgresDatabase, startTestBackend, testDatabaseKinds, testPostgresUrl, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQueryResponse, SearchStatusResponse } from '../common/index.js';
import { searchPlugin, searchServiceRef } from './plugin.js';

const doc = (id: string, title: string): SearchDocument => ({ key: id, title, text: `Runbook ${id}`, location: `/runbooks/${id}` });

/** A third-party plugin with its own document type, registered through the plugin API. */
function runbooksPlugin(state: { sink?: SearchDocumentSink; version: string; docs: SearchDocument[] }) {
  return definePlugin<unknown, { search: typeof searchCollatorsServiceRef }>({
    id: 'runbooks',
    deps: { search: searchCollatorsServiceRef },
    setup({ deps }) {
      deps.search.register({
        type: 'runbooks',
        title: 'Runbooks',
        version: state.version,
        async *collate() {
          yield state.docs;
        },
        subscribe(sink) {
          state.sink = sink;
          return () => undefined;
        },
      });
    },
  });
}

describe.each(testDatabaseKinds())('a plugin’s own collator on %s', (database) => {
  let t: TestBackend;
  const state: { sink?: SearchDocumentSink; version: string; docs: SearchDocument[] } = {
    version: '1',
    docs: [doc('kafka', 'Kafka broker restart'), doc('dns', 'DNS failover')],
  };
  const search = (qs: string) => t.json<SearchQueryResponse>(`/api/search/query?${qs}`);

  beforeAll(async () => {
    // Without the catalog: only the plugin's type is registered.
    t = await startTestBackend({ plugins: [searchPlugin, runbooksPlugin(state)], database });
    await t.backend.service(searchServiceRef).idle();
  }, 60_000);
  afterAll(() => t?.stop());

  it('is built at start, then follows single changes pushed to its sink', async () => {
    await waitFor(async () => (await t.json<SearchStatusResponse>('/api/search/status')).body.types[0]?.state === 'ready');
    expect((await search('term=kafka')).body.results.map((r) => r.document.location)).toEqual(['/runbooks/kafka']);
    await state.sink!.upsert([doc('pg', 'Postgres vacuum')]);
    expect((await search('term=vacuum&types=runbooks')).body.numberOfResults).toBe(1);
    await state.sink!.remove(['kafka']);
    expect((await search('term=kafka')).body.numberOfResults).toBe(0);
    expect((await search('term=x&types=software-catalog')).status).toBe(400);
  });

  it('a rebuild drops documents the collator no longer yields', async () => {
    state.docs = [doc('dns', 'DNS failover')];
    expect((await t.json('/api/search/rebuild', { method: 'POST', body: {} })).status).toBe(202);
    await t.backend.service(searchServiceRef).idle();
    expect((await search('term=vacuum')).body.numberOfResults).toBe(0);
    expect((await search('term=failover')).body.numberOfResults).toBe(1);
    const status = await t.json<SearchStatusResponse>('/api/search/status');
    expect(status.body.types).toMatchObject([{ type: 'runbooks', title: 'Runbooks', version: '1', state: 'ready', documents: 1 }]);
    expect(status.body.indexBytes).toBeGreaterThan(0);
  });
});

describe.skipIf(!testPostgresUrl())('two replicas starting on an empty index (Postgres)', () => {
  let a: TestBackend | undefined;
  let b: TestBackend | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await drop?.();
  });

  it('build it once: the second replica follows the first one’s claimed build', async () => {
    const db = await createTestPostgresDatabase();
    drop = db.drop;
    let collations = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slowRunbooks = definePlugin<unknown, { search: typeof searchCollatorsServiceRef }>({
      id: 'runbooks',
      deps: { search: searchCollatorsServiceRef },
      setup({ deps }) {
        deps.search.register({
          type: 'runbooks',
          version: '1',
          async *collate() {
            collations++;
            await gate;
            yield [doc('kafka', 'Kafka broker restart')];
          },
        });
      },
    });
    const start = (replicaId: string) => startTestBackend({ plugins: [searchPlugin, slowRunbooks], database: 'postgres', postgresUrl: db.url, replicaId });
    a = await start('search-a');
    await waitFor(() => collations === 1, { message: 'the first replica started building' });
    b = await start('search-b');
    const status = await b.json<SearchStatusResponse>('/api/search/status');
    expect(status.body.types[0]?.state).toBe('building');
    await b.backend.service(searchServiceRef).idle();
    open();
    await a.backend.service(searchServiceRef).idle();
    expect(collations).toBe(1);
    await waitFor(async () => (await b!.json<SearchQueryResponse>('/api/search/query?term=kafka')).body.numberOfResults === 1, {
      message: 'the other replica serves the index the first built',
    });
  }, 90_000);
});
