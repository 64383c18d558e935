import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  clearedFilters,
  defaultExplorerState,
  explorerPredicate,
  facetRequests,
  parseExplorerState,
  serializeExplorerState,
  withFilter,
  withKind,
  type ExplorerState,
} from './filterState';

const parse = (query: string) => parseExplorerState(new URLSearchParams(query));

describe('URL ↔ explorer state', () => {
  it('defaults to components sorted by name, and serializes the default to an empty query', () => {
    const state = parse('');
    expect(state).toEqual(defaultExplorerState());
    expect(serializeExplorerState(state).toString()).toBe('');
  });

  it('reads kind, repeated filters, text and sort', () => {
    const state = parse('kind=API&type=openapi&type=graphql&owner=Group:default/Payments-Team&tag=rest&q=%20orders%20&sort=-lifecycle');
    expect(state.kind).toBe('api');
    expect(state.filters.type).toEqual(['openapi', 'graphql']);
    expect(state.filters.owner).toEqual(['group:default/payments-team']);
    expect(state.filters.tag).toEqual(['rest']);
    expect(state.text).toBe('orders');
    expect(state.sort).toEqual({ column: 'lifecycle', order: 'desc' });
  });

  it('round-trips through the query string', () => {
    const query =
      'kind=all&type=service&owner=group%3Adefault%2Fa&lifecycle=production&tag=java&tag=go&namespace=ops&q=pay&location=file%3A%2Fx.yaml&sort=-name';
    const state = parse(query);
    expect(parse(serializeExplorerState(state).toString())).toEqual(state);
    expect(serializeExplorerState(state).toString()).toBe(query);
  });

  it('drops empty and duplicate values and ignores a malformed sort', () => {
    const state = parse('type=&type=service&type=service&sort=-drop%20table');
    expect(state.filters.type).toEqual(['service']);
    expect(state.sort).toEqual({ column: 'name', order: 'asc' });
  });

  it('clears the type filter when the kind changes, keeping the others', () => {
    const state = withFilter(withFilter(parse(''), 'type', ['service']), 'tag', ['java']);
    const next = withKind(state, 'api');
    expect(next.filters.type).toEqual([]);
    expect(next.filters.tag).toEqual(['java']);
    expect(withKind(state, 'component')).toBe(state);
  });

  it('counts and clears active filters', () => {
    const state: ExplorerState = { ...withFilter(parse('q=x'), 'tag', ['a', 'b']), location: 'url:https://x' };
    expect(activeFilterCount(state)).toBe(4);
    const cleared = clearedFilters(state);
    expect(activeFilterCount(cleared)).toBe(0);
    expect(cleared.kind).toBe('component');
  });
});

describe('explorerPredicate', () => {
  it('filters the default view by kind only', () => {
    expect(explorerPredicate(parse(''))).toEqual({ kind: 'component' });
    expect(explorerPredicate(parse('kind=all'))).toBeUndefined();
  });

  it('ORs the values of one filter and ANDs the filters', () => {
    const state = parse('type=service&type=website&owner=group:default/a&tag=java&tag=go&lifecycle=production');
    expect(explorerPredicate(state)).toEqual({
      $all: [
        { kind: 'component' },
        { 'spec.type': { $in: ['service', 'website'] } },
        { relations: { $contains: { type: 'ownedBy', targetRef: { $in: ['group:default/a'] } } } },
        { 'spec.lifecycle': 'production' },
        { $any: [{ 'metadata.tags': { $contains: 'java' } }, { 'metadata.tags': { $contains: 'go' } }] },
      ],
    });
  });

  it('filters by origin location', () => {
    expect(explorerPredicate(parse('kind=all&location=file:/a.yaml'))).toEqual({
      'metadata.annotations.backstage.io/managed-by-origin-location': 'file:/a.yaml',
    });
  });

  it('leaves out the excluded facet', () => {
    const state = parse('type=service&tag=java');
    expect(explorerPredicate(state, 'type')).toEqual({ $all: [{ kind: 'component' }, { 'metadata.tags': { $contains: 'java' } }] });
    expect(explorerPredicate(state, 'kind')).toEqual({
      $all: [{ 'spec.type': 'service' }, { 'metadata.tags': { $contains: 'java' } }],
    });
  });
});

describe('facetRequests', () => {
  it('counts each facet under the other filters, sharing one request between unselected facets', () => {
    const requests = facetRequests(parse('type=service'));
    expect(requests).toEqual([
      { facetKeys: ['kind'], query: { 'spec.type': 'service' } },
      { facetKeys: ['type'], query: { kind: 'component' } },
      { facetKeys: ['owner', 'lifecycle', 'tag', 'namespace'], query: { $all: [{ kind: 'component' }, { 'spec.type': 'service' }] } },
    ]);
  });

  it('needs one request when nothing is selected', () => {
    expect(facetRequests(parse('kind=all'))).toEqual([{ facetKeys: ['kind', 'type', 'owner', 'lifecycle', 'tag', 'namespace'], query: undefined }]);
  });
});
