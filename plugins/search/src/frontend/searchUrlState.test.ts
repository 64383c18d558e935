import { describe, expect, it } from 'vitest';
import { searchQueryParams } from './api';
import { buildApiUrl } from '@atrium/frontend-plugin-api';
import { formatSearchUrl, parseSearchUrl, searchRequestOf, updateSearchState } from './searchUrlState';

describe('search page URL state', () => {
  it('reads every parameter and drops empty ones', () => {
    expect(parseSearchUrl(new URLSearchParams('q=pay&type=techdocs&kind=Component&owner=group:default/payments&lifecycle=&tag=java&cursor=abc'))).toEqual({
      q: 'pay',
      type: 'techdocs',
      kind: 'Component',
      owner: 'group:default/payments',
      tag: 'java',
      cursor: 'abc',
    });
    expect(parseSearchUrl(new URLSearchParams(''))).toEqual({ q: '' });
  });

  it('writes the state back in a stable order, round-tripping', () => {
    const state = { q: 'a b', kind: 'API', type: 'software-catalog' };
    const url = formatSearchUrl(state).toString();
    expect(url).toBe('q=a+b&type=software-catalog&kind=API');
    expect(parseSearchUrl(new URLSearchParams(url))).toEqual(state);
  });

  it('starts again at the first page when anything but the cursor changes', () => {
    const state = { q: 'pay', kind: 'Component', cursor: 'page2' };
    expect(updateSearchState(state, { owner: 'group:default/x' })).toEqual({ q: 'pay', kind: 'Component', owner: 'group:default/x' });
    expect(updateSearchState(state, { cursor: 'page3' })).toEqual({ q: 'pay', kind: 'Component', cursor: 'page3' });
    expect(updateSearchState(state, { kind: undefined })).toEqual({ q: 'pay' });
  });

  it('turns the state into the API request: types, filters (tag → tags), cursor', () => {
    const request = searchRequestOf({ q: ' pay ', type: 'software-catalog', kind: 'Component', owner: 'group:default/x', tag: 'java', cursor: 'c1' });
    expect(request).toEqual({
      term: 'pay',
      types: ['software-catalog'],
      filters: { kind: 'Component', owner: 'group:default/x', tags: 'java' },
      pageCursor: 'c1',
      pageLimit: 25,
    });
    expect(decodeURIComponent(buildApiUrl('/search/query', searchQueryParams(request)))).toBe(
      '/api/search/query?term=pay&types=software-catalog&filters[kind]=Component&filters[owner]=group:default/x&filters[tags]=java&pageCursor=c1&pageLimit=25',
    );
  });
});
