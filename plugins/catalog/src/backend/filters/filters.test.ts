import { describe, expect, it } from 'vitest';
import { MATCH_NOTHING } from '../routes/visibility.js';
import { allOf, type FilterNode } from './filterNode.js';
import { filterCondition, filterCount, filterDriver, filterIdSet } from './filterQuery.js';
import { filterFromObject, parseFilterParams } from './parseFilter.js';
import { parsePredicate } from './parsePredicate.js';

describe('parseFilterParams', () => {
  it('ANDs within a parameter, ORs parameters, lower-cases and trims', () => {
    expect(parseFilterParams(['kind=Component, spec.Type = Service', 'metadata.name=x'])).toEqual({
      op: 'any',
      nodes: [
        {
          op: 'all',
          nodes: [
            { op: 'in', key: 'kind', values: ['component'] },
            { op: 'in', key: 'spec.type', values: ['service'] },
          ],
        },
        { op: 'in', key: 'metadata.name', values: ['x'] },
      ],
    });
  });
  it('treats a bare key as existence and a repeated key as either value', () => {
    expect(parseFilterParams('metadata.annotations.a/b')).toEqual({ op: 'exists', key: 'metadata.annotations.a/b' });
    expect(parseFilterParams('kind=a,kind=b')).toEqual({ op: 'in', key: 'kind', values: ['a', 'b'] });
    expect(parseFilterParams('a=b=c')).toEqual({ op: 'in', key: 'a', values: ['b=c'] });
  });
  it('ignores empty parameters and rejects empty keys', () => {
    expect(parseFilterParams(['', ' , '])).toBeUndefined();
    expect(() => parseFilterParams('=x')).toThrow(/has no key/);
    expect(() => parseFilterParams('kind=a,=b')).toThrow(/InputError|has no key/);
  });
  it('builds the same node from catalog-client style objects', () => {
    expect(filterFromObject([{ kind: 'API' }, { 'spec.type': ['a', 'B'], 'metadata.x': undefined as never }])).toEqual({
      op: 'any',
      nodes: [
        { op: 'in', key: 'kind', values: ['api'] },
        {
          op: 'all',
          nodes: [
            { op: 'in', key: 'spec.type', values: ['a', 'b'] },
            { op: 'exists', key: 'metadata.x' },
          ],
        },
      ],
    });
  });
});

describe('parsePredicate', () => {
  it('parses logical operators and field matchers', () => {
    expect(
      parsePredicate({
        $all: [
          { kind: 'Component' },
          { $not: { 'spec.type': { $in: ['a', 1] } } },
          { 'metadata.name': { $hasPrefix: 'Pay' } },
          { 'metadata.tags': { $contains: 'java' } },
        ],
      }),
    ).toEqual({
      op: 'all',
      nodes: [
        { op: 'in', key: 'kind', values: ['component'] },
        { op: 'not', node: { op: 'in', key: 'spec.type', values: ['a', '1'] } },
        { op: 'prefix', key: 'metadata.name', prefix: 'pay' },
        { op: 'in', key: 'metadata.tags', values: ['java'] },
      ],
    });
  });
  it('handles relations, $exists and empty logic', () => {
    expect(parsePredicate({ relations: { $contains: { type: 'ownedBy', targetRef: { $in: ['group:default/A'] } } } })).toEqual({
      op: 'in',
      key: 'relations.ownedby',
      values: ['group:default/a'],
    });
    expect(parsePredicate({ 'spec.x': { $exists: false } })).toEqual({ op: 'not', node: { op: 'exists', key: 'spec.x' } });
    expect(parsePredicate({ $any: [] })).toEqual({ op: 'any', nodes: [] });
    expect(parsePredicate({})).toEqual({ op: 'all', nodes: [] });
  });
  it('rejects what it does not understand, naming the place', () => {
    expect(() => parsePredicate([])).toThrow(/query must be an object/);
    expect(() => parsePredicate({ $all: {} })).toThrow(/query.\$all must be an array/);
    expect(() => parsePredicate({ kind: { $regex: 'x' } })).toThrow(/\$regex/);
    expect(() => parsePredicate({ kind: { $in: [{}] } })).toThrow(/\$in/);
    expect(() => parsePredicate({ $foo: 1 })).toThrow(/unknown operator \$foo/);
  });
});

describe('filter SQL', () => {
  it('binds values rather than splicing them, and answers array-element keys', () => {
    const s = filterCondition({ op: 'exists', key: 'metadata.tags.java' }, 'e.id');
    expect(s.sql).toContain('e.id in (select entity_id from search where');
    expect(s.bindings).toEqual(['metadata.tags.java', 'metadata', 'tags.java', 'metadata.tags', 'java']);
    const p = filterCondition({ op: 'prefix', key: 'metadata.name', prefix: 'a_b%' }, 'e.id');
    expect(p.bindings).toEqual(['metadata.name', 'a\\_b\\%%']);
  });
  it('counts a single equality straight from the index', () => {
    expect(filterCount({ op: 'in', key: 'kind', values: ['component'] }).sql).toBe('select count(*)::int as count from search where key = ? and value = ?');
    expect(filterCount({ op: 'all', nodes: [] }).sql).toContain('final_entities');
  });
  it('picks a one-value leaf to read a page from, kind before the others, with the rest apart', () => {
    const kind: FilterNode = { op: 'in', key: 'kind', values: ['component'] };
    const tag: FilterNode = { op: 'in', key: 'metadata.tags', values: ['java'] };
    expect(filterDriver(kind, 's')).toEqual({ rows: { sql: '(s.key = ? and s.value = ?)', bindings: ['kind', 'component'] } });
    expect(filterDriver({ op: 'all', nodes: [tag, kind] }, 's')).toEqual({
      rows: { sql: '(s.key = ? and s.value = ?)', bindings: ['kind', 'component'] },
      rest: { op: 'all', nodes: [tag] },
    });
    expect(filterDriver({ op: 'all', nodes: [{ op: 'exists', key: 'spec.owner' }, tag] })?.rows).toEqual({
      sql: '(key = ? and value = ?)',
      bindings: ['metadata.tags', 'java'],
    });
    // Several values, `true` (which may also mean an array item), existence, an OR, a NOT: each may match more than one row of an entity, or none.
    expect(filterDriver({ op: 'in', key: 'kind', values: ['component', 'api'] })).toBeUndefined();
    expect(filterDriver({ op: 'in', key: 'spec.tags.java', values: ['true'] })).toBeUndefined();
    expect(filterDriver({ op: 'exists', key: 'spec.owner' })).toBeUndefined();
    expect(filterDriver({ op: 'any', nodes: [kind, tag] })).toBeUndefined();
    expect(filterDriver({ op: 'not', node: kind })).toBeUndefined();
    expect(filterDriver(undefined)).toBeUndefined();
  });
});

describe('the match-nothing filter (a caller who may read no entity)', () => {
  it('is false as a condition and an empty id set, also inside an AND with a request filter', () => {
    expect(filterCondition(MATCH_NOTHING, 'e.id')).toEqual({ sql: 'false', bindings: [] });
    expect(filterIdSet(MATCH_NOTHING).sql).toBe('select null::uuid where false');
    // ANDed with a request filter the whole filter is false: no query of the search table at all.
    const combined = allOf([{ op: 'in', key: 'kind', values: ['component'] }, MATCH_NOTHING])!;
    expect(filterCondition(combined, 'e.id')).toEqual({ sql: 'false', bindings: [] });
    expect(filterCount(combined).sql).toBe('select 0 as count');
    expect(filterIdSet(combined).sql).toBe('select null::uuid where false');
  });
});
