import { afterEach, describe, expect, it, vi } from 'vitest';
import { columnsForKind, fieldsForColumns } from './columns';
import { explorerRequests, firstPageRequestFor } from './explorerRequests';
import { parseExplorerState } from './filterState';
import { prefetchExplorerList, takePrefetchedList } from './listPrefetch';

const requestsFor = (search: string) => {
  const state = parseExplorerState(new URLSearchParams(search));
  const columns = columnsForKind(state.kind);
  return explorerRequests(state, columns, fieldsForColumns(columns));
};

describe('explorerRequests', () => {
  it('asks for a sorted first page without a total, and counts separately', () => {
    const { page, count } = requestsFor('q=pay&sort=-name');
    expect(page).toMatchObject({
      query: { kind: 'component' },
      fullTextFilter: { term: 'pay' },
      orderBy: [{ field: 'metadata.name', order: 'desc' }],
      limit: 100,
      totalItems: 'exclude',
    });
    expect(page.fields).toContain('spec.lifecycle');
    expect(count).toEqual({ query: { kind: 'component' }, fullTextFilter: { term: 'pay' }, limit: 0, totalItems: 'include' });
  });

  it('counts only entities that have the sort field, as the list shows only those', () => {
    expect(requestsFor('sort=owner').count.query).toEqual({ $all: [{ kind: 'component' }, { 'spec.owner': { $exists: true } }] });
    expect(requestsFor('kind=all&sort=owner').count.query).toEqual({ 'spec.owner': { $exists: true } });
  });

  it('builds the same first page from a URL as the page does', () => {
    expect(firstPageRequestFor('?kind=api&type=openapi')).toEqual(requestsFor('kind=api&type=openapi').page);
  });
});

describe('list prefetch', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('hands the prefetched first page to the page once', async () => {
    const fetchMock = vi.fn(async () => new Response('{"items":[],"pageInfo":{}}', { headers: { 'content-type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    prefetchExplorerList('?kind=api');
    const request = firstPageRequestFor('?kind=api');
    await expect(takePrefetchedList(request)).resolves.toEqual({ items: [], pageInfo: {} });
    expect(takePrefetchedList(request)).toBeUndefined();
    expect(takePrefetchedList(firstPageRequestFor(''))).toBeUndefined();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('does not hand out an old answer', () => {
    vi.useFakeTimers();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { headers: { 'content-type': 'application/json' } })),
    );
    prefetchExplorerList('');
    vi.advanceTimersByTime(6_000);
    expect(takePrefetchedList(firstPageRequestFor(''))).toBeUndefined();
  });
});
