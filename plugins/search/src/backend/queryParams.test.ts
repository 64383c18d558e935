import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, queryHash } from './cursor.js';
import { ownerRef, parseSearchParams } from './queryParams.js';

const TYPES = ['software-catalog', 'techdocs', 'templates'];

describe('search query parameters', () => {
  it('reads plain (Express 5) and nested filters, repeated types', () => {
    const p = parseSearchParams(
      { term: 'pay', types: ['techdocs', 'software-catalog'], 'filters[kind]': 'Component', filters: { owner: 'payments-team' } },
      TYPES,
    );
    expect(p).toEqual({
      term: 'pay',
      types: ['software-catalog', 'techdocs'],
      filters: { kind: ['Component'], owner: ['group:default/payments-team'] },
      pageLimit: 25,
    });
  });

  it('answers 400 with what is allowed', () => {
    expect(() => parseSearchParams({ types: 'nope' }, TYPES)).toThrow(/allowed types are software-catalog, techdocs, templates/);
    expect(() => parseSearchParams({ 'filters[colour]': 'red' }, TYPES)).toThrow(/allowed filters are kind, owner/);
    expect(() => parseSearchParams({ sort: 'x' }, TYPES)).toThrow(/allowed are term, types/);
    expect(() => parseSearchParams({ pageLimit: '101' }, TYPES)).toThrow(/1 to 100/);
  });

  it('normalises owners', () => {
    expect(ownerRef('Team-A')).toBe('group:default/team-a');
    expect(ownerRef('user:jdoe')).toBe('user:default/jdoe');
    expect(ownerRef('group:ops/x')).toBe('group:ops/x');
  });

  it('ties a cursor to its query', () => {
    const h = queryHash([['pay'], [], {}, 25]);
    expect(decodeCursor(encodeCursor(h, 25), h)).toBe(25);
    expect(() => decodeCursor(encodeCursor(h, 25), queryHash([['orders'], [], {}, 25]))).toThrow(/another query/);
    expect(() => decodeCursor('garbage', h)).toThrow(/not a cursor/);
  });
});
