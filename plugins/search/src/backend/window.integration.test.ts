import { definePlugin, searchCollatorsServiceRef, type SearchDocument } from '@atrium/backend-plugin-api';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQueryResponse } from '../common/index.js';
import { searchPlugin, searchServiceRef } from './plugin.js';
import { RESULT_WINDOW } from './searchQuery.js';

const MANY = RESULT_WINDOW + 250;
const doc = (key: string, title: string, text: string, kind = 'Runbook'): SearchDocument => ({ key, title, text, location: `/notes/${key}`, kind });

/**
 * More matches than the search ranks exactly: the body-only matches are written first, so the
 * best documents sit after the first RESULT_WINDOW rows of the table and must still come first.
 */
function notes(): SearchDocument[] {
  const out: SearchDocument[] = [];
  for (let i = 0; i < MANY; i++) out.push(doc(`note-${i}`, `Note ${i}`, `how the sprocket and the widget ${i} behave`, i % 2 ? 'Runbook' : 'Guide'));
  out.push(doc('widget', 'Widget', 'the widget itself'), doc('sprocket-tuning', 'Sprocket tuning', 'tune it'), doc('gadget', 'Gadget', 'one of a kind'));
  return out;
}

describe.each(testDatabaseKinds())('search beyond the exact window on %s', (database) => {
  let t: TestBackend;
  const search = (qs: string) => t.json<SearchQueryResponse>(`/api/search/query?${qs}`);

  beforeAll(async () => {
    const plugin = definePlugin<unknown, { search: typeof searchCollatorsServiceRef }>({
      id: 'notes',
      deps: { search: searchCollatorsServiceRef },
      setup({ deps }) {
        deps.search.register({
          type: 'notes',
          version: '1',
          async *collate() {
            const all = notes();
            for (let i = 0; i < all.length; i += 500) yield all.slice(i, i + 500);
          },
        });
      },
    });
    t = await startTestBackend({ plugins: [searchPlugin, plugin], database });
    await t.backend.service(searchServiceRef).idle();
  }, 90_000);
  afterAll(() => t?.stop());

  it('counts exactly up to the window, and says when a count is a lower bound', async () => {
    const few = await search('term=gadget');
    expect(few.body.numberOfResults).toBe(1);
    expect(few.body.numberOfResultsIsLowerBound).toBeUndefined();
    const broad = await search('term=widget');
    expect(broad.status).toBe(200);
    expect(broad.body.numberOfResultsIsLowerBound).toBe(true);
    expect(broad.body.numberOfResults).toBeGreaterThan(RESULT_WINDOW);
    expect(broad.body.numberOfResults).toBeLessThanOrEqual(MANY + 1);
    const kinds = broad.body.facets.kind.reduce((n, f) => n + f.count, 0);
    expect(kinds).toBe(broad.body.numberOfResults);
  });

  it('still ranks an exact title and a title match first when they lie beyond the window', async () => {
    expect((await search('term=widget')).body.results[0]?.document.location).toBe('/notes/widget');
    expect((await search('term=sprocket')).body.results[0]?.document.location).toBe('/notes/sprocket-tuning');
    // A typo goes through the trigram pre-filter (pairs of trigrams) and still finds the title.
    expect((await search('term=sprockte')).body.results[0]?.document.location).toBe('/notes/sprocket-tuning');
  });

  it('pages through the ranked candidates without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let total = 0;
    for (let pages = 0; pages < 30; pages++) {
      const r = await search(`term=widget&pageLimit=100${cursor ? `&pageCursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      total = r.body.numberOfResults;
      seen.push(...r.body.results.map((x) => x.document.location));
      cursor = r.body.nextPageCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });
});
