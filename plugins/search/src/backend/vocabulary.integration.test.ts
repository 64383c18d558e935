import { definePlugin, searchCollatorsServiceRef, type Db, type SearchDocument, type SearchDocumentSink } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQueryResponse } from '../common/index.js';
import { searchPlugin, searchServiceRef } from './plugin.js';
import { backfillVocabulary } from './vocabulary.js';

const doc = (key: string, title: string, extra: Partial<SearchDocument> = {}): SearchDocument => ({
  key,
  title,
  text: 'nothing to see',
  location: `/notes/${key}`,
  kind: 'Runbook',
  ...extra,
});

/** The vocabulary behind typo matching, kept by the document writes (upsert, remove, replace, full build). */
describe.each(testDatabaseKinds())('search vocabulary on %s', (database) => {
  let t: TestBackend;
  let db: Db;
  let sink!: SearchDocumentSink;
  const search = (term: string) => t.json<SearchQueryResponse>(`/api/search/query?term=${encodeURIComponent(term)}`);
  const locations = async (term: string) => (await search(term)).body.results.map((r) => r.document.location);
  const vocabulary = async (...words: string[]) =>
    ((await db.raw('select word from vocabulary where word = any(?::text[]) order by word', [words])) as { rows: Array<{ word: string }> }).rows.map(
      (r) => r.word,
    );

  beforeAll(async () => {
    const plugin = definePlugin<unknown, { search: typeof searchCollatorsServiceRef }>({
      id: 'notes',
      deps: { search: searchCollatorsServiceRef },
      setup({ deps }) {
        deps.search.register({
          type: 'notes',
          version: '1',
          async *collate() {
            yield [doc('seed', 'Seed note'), doc('ledger', 'Ledger reconciliation', { name: 'ledger-reconciler' })];
          },
          subscribe(s) {
            sink = s;
            return () => undefined;
          },
        });
      },
    });
    t = await startTestBackend({ plugins: [searchPlugin, plugin], database });
    await t.backend.service(searchServiceRef).idle();
    db = await t.backend.database.forSchema('search');
  }, 90_000);
  afterAll(() => t?.stop());

  it('holds the words of names and titles written by the full build', async () => {
    expect(await vocabulary('ledger', 'reconciliation', 'reconciler', 'seed', 'note', 'nothing')).toEqual([
      'ledger',
      'note',
      'reconciler',
      'reconciliation',
      'seed',
    ]);
    expect(await locations('ledgr')).toEqual(['/notes/ledger']);
  });

  it('adds the words of an upserted document, and a typo finds it', async () => {
    expect(await locations('quartermastr')).toEqual([]);
    await sink.upsert([doc('qm', 'Quartermaster handbook')]);
    expect(await vocabulary('quartermaster', 'handbook')).toEqual(['handbook', 'quartermaster']);
    expect(await locations('quartermastr')).toEqual(['/notes/qm']);
  });

  it('finds a document by a typo only through a word of its name or title', async () => {
    await sink.upsert([
      doc('body', 'Stores overview', { text: 'the zeppelinhangar holds everything' }),
      doc('tag', 'Unrelated runbook', { tags: ['zeppelinhangar'], keywords: ['zeppelinhangar'] }),
      doc('named', 'Airship docks', { name: 'zeppelinhangar-north' }),
    ]);
    // The word finds all three (body, tags, name); the typo only the one with it in its name
    // (the typo is no prefix of any word nor of their English stems, so only the vocabulary finds it).
    expect((await locations('zeppelinhangar')).sort()).toEqual(['/notes/body', '/notes/named', '/notes/tag']);
    expect(await locations('zeppelinhngar')).toEqual(['/notes/named']);
  });

  it('prunes a word when the last document holding it is removed; after a removal or a rename the typo no longer matches', async () => {
    await sink.upsert([doc('w1', 'Wolframite smelter'), doc('w2', 'Wolframite assay')]);
    await sink.remove(['w1']);
    // Still held by w2.
    expect(await vocabulary('wolframite', 'smelter', 'assay')).toEqual(['assay', 'wolframite']);
    expect(await locations('wolfrmite')).toEqual(['/notes/w2']);
    // Renamed: the typo no longer finds it (the documents are asked by word); the old word stays
    // in the vocabulary until the next full build sweeps it.
    await sink.upsert([doc('w2', 'Tungsten assay')]);
    expect(await vocabulary('wolframite', 'assay', 'tungsten')).toEqual(['assay', 'tungsten', 'wolframite']);
    expect(await locations('tungstn')).toEqual(['/notes/w2']);
    expect(await locations('wolfrmite')).toEqual([]);
    await sink.remove(['w2']);
    expect(await vocabulary('assay', 'tungsten')).toEqual([]);
    expect(await locations('tungstn')).toEqual([]);
    // replaceForEntity removes the entity's other documents' words too.
    await sink.replaceForEntity('component:default/mine', [doc('p1', 'Pyrolusite page', { entityRef: 'component:default/mine' })]);
    expect(await locations('pyrolsite')).toEqual(['/notes/p1']);
    await sink.replaceForEntity('component:default/mine', []);
    expect(await vocabulary('pyrolusite')).toEqual([]);
    expect(await locations('pyrolsite')).toEqual([]);
  });

  it('is filled again from the documents (the migration backfill) and swept by a full build', async () => {
    await db.raw('delete from vocabulary');
    expect(await locations('quartermastr')).toEqual([]);
    expect(await backfillVocabulary(db)).toBeGreaterThan(5);
    expect(await locations('quartermastr')).toEqual(['/notes/qm']);
    // A word no document holds (left by a lost race) is swept by the next full build.
    await db.raw(`insert into vocabulary (word, trigrams) values ('orphanword', '{"  o"," or",orp}')`);
    await sink.upsert([doc('qm', 'Quartermaster handbook renamed')]);
    await sink.upsert([doc('qm', 'Purser handbook')]);
    expect(await vocabulary('quartermaster', 'renamed', 'purser')).toEqual(['purser', 'quartermaster', 'renamed']);
    await t.backend.service(searchServiceRef).rebuild('notes');
    expect(await vocabulary('orphanword', 'quartermaster', 'renamed', 'purser')).toEqual([]);
    expect(await vocabulary('ledger', 'seed')).toEqual(['ledger', 'seed']);
  });
});
