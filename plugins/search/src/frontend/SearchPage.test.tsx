// @vitest-environment jsdom
import { click, waitFor, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SearchPage from './SearchPage';
import { currentLocation, fakeSearchApi, renderSearchUi, response, result } from './testing';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const buttonNamed = (text: string) => [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === text) ?? null;

describe('SearchPage', () => {
  it('asks the API for the URL’s query and shows tabs with counts, highlighted results and paging', async () => {
    const calls = fakeSearchApi((url) =>
      response(
        [
          result('software-catalog', 'payments-service', '/catalog/default/component/payments-service', {
            document: {
              title: 'payments-service',
              text: 'Takes <payments>',
              location: '/catalog/default/component/payments-service',
              kind: 'Component',
              owner: 'group:default/payments',
              lifecycle: 'production',
            },
            highlight: { preTag: '<mark>', postTag: '</mark>', fields: { text: 'Takes &lt;<mark>payments</mark>&gt;' } },
          }),
        ],
        {
          numberOfResults: 30,
          nextPageCursor: url.searchParams.get('pageCursor') ? undefined : 'page-2',
          previousPageCursor: url.searchParams.get('pageCursor') ? 'page-1' : undefined,
          facets: {
            type: [
              { value: 'software-catalog', count: 26 },
              { value: 'techdocs', count: 4 },
            ],
            kind: [{ value: 'Component', count: 20 }],
          },
        },
      ),
    );
    rendered = await renderSearchUi(<SearchPage />, '/search?q=payments&kind=Component&owner=group:default/payments&tag=java');
    await waitFor(() => expect(document.body.textContent).toContain('30 results'));
    const params = calls[0]!.url.searchParams;
    expect(params.get('term')).toBe('payments');
    expect(params.get('filters[kind]')).toBe('Component');
    expect(params.get('filters[owner]')).toBe('group:default/payments');
    expect(params.get('filters[tags]')).toBe('java');
    expect(params.getAll('types')).toEqual([]);
    expect([...document.querySelectorAll('[role="tab"]')].map((t) => t.textContent)).toEqual(['All (30)', 'Catalog (26)', 'Docs (4)', 'Templates']);
    const article = document.querySelector('article')!;
    expect(article.querySelector('a')?.getAttribute('href')).toBe('/catalog/default/component/payments-service');
    expect(article.textContent).toContain('Takes <payments>');
    expect(article.querySelector('mark')?.textContent).toBe('payments');

    await click(buttonNamed('Next'));
    await waitFor(() => expect(currentLocation()).toContain('cursor=page-2'));
    await waitFor(() => expect(calls.at(-1)!.url.searchParams.get('pageCursor')).toBe('page-2'));
    // A new type starts at the first page again.
    await click([...document.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => t.textContent?.startsWith('Docs'))!);
    await waitFor(() => expect(currentLocation()).toBe('/search?q=payments&type=techdocs&kind=Component&owner=group%3Adefault%2Fpayments&tag=java'));
    await waitFor(() => expect(calls.at(-1)!.url.searchParams.getAll('types')).toEqual(['techdocs']));
  });

  it('says when the count is a lower bound', async () => {
    fakeSearchApi(() =>
      response([result('software-catalog', 'payments-service-000001', '/catalog/default/component/payments-service-000001')], {
        numberOfResults: 1204,
        numberOfResultsIsLowerBound: true,
        facets: { type: [{ value: 'software-catalog', count: 1204 }] },
      }),
    );
    rendered = await renderSearchUi(<SearchPage />, '/search?q=payments');
    await waitFor(() => expect(document.body.textContent).toContain('More than 1,204 results'));
    expect([...document.querySelectorAll('[role="tab"]')].map((t) => t.textContent)).toEqual(['All (1204+)', 'Catalog (1204+)', 'Docs', 'Templates']);
  });

  it('offers the suggestion and clearing the filters when nothing matched', async () => {
    fakeSearchApi(() => response([], { suggestion: 'payments' }));
    rendered = await renderSearchUi(<SearchPage />, '/search?q=paymnts&lifecycle=production');
    await waitFor(() => expect(document.body.textContent).toContain('No results for “paymnts”'));
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent === 'payments');
    expect(link?.getAttribute('href')).toBe('/search?q=payments');
    await click(buttonNamed('Clear filters'));
    await waitFor(() => expect(currentLocation()).toBe('/search?q=paymnts'));
  });

  it('shows the server’s error, and a prompt before anything is typed', async () => {
    fakeSearchApi(() => ({
      status: 400,
      body: { error: { name: 'InputError', message: 'Unknown type "nope"; allowed: software-catalog, techdocs, templates' } },
    }));
    rendered = await renderSearchUi(<SearchPage />, '/search?q=x&type=nope');
    await waitFor(() => expect(document.querySelector('[role="alert"]')?.textContent).toContain('Unknown type "nope"'));
    await rendered.unmount();
    rendered = await renderSearchUi(<SearchPage />, '/search');
    expect(document.body.textContent).toContain('Search the catalog, docs and templates');
  });
});
