import { describe, expect, it } from 'vitest';
import type { FilterNode } from './filterNode.js';
import { filterCondition, filterCount } from './filterQuery.js';
import { simplifyFilter } from './simplify.js';

const kind = (...values: string[]): FilterNode => ({ op: 'in', key: 'kind', values });
const owned: FilterNode = { op: 'in', key: 'relations.ownedby', values: ['group:default/team-a', 'user:default/jdoe'] };
const tag = (t: string): FilterNode => ({ op: 'in', key: 'metadata.tags', values: [t] });
const all = (...nodes: FilterNode[]): FilterNode => ({ op: 'all', nodes });
const any = (...nodes: FilterNode[]): FilterNode => ({ op: 'any', nodes });

describe('simplifyFilter', () => {
  it('turns "components, that I own or that are groups/users" into "components I own"', () => {
    // The shape a request filter ANDed with a permission filter has (see visibility.ts).
    expect(simplifyFilter(all(kind('component'), any(owned, kind('group', 'user'))))).toEqual(all(kind('component'), owned));
  });

  it('keeps a branch that still matches something, and folds one implied by another', () => {
    // kind=group ∧ (owned ∨ kind∈{group,user}) = (group ∧ owned) ∨ group = group
    expect(simplifyFilter(all(kind('group'), any(owned, kind('group', 'user'))))).toEqual(kind('group'));
    // kind∈{group,component} ∧ (owned ∨ kind∈{group,user}) = (… ∧ owned) ∨ group: nothing folds away, so not distributed
    const mixed = all(kind('component', 'group'), any(owned, kind('group', 'user')));
    expect(simplifyFilter(mixed)).toEqual(mixed);
  });

  it('intersects single-valued keys only: two tag conditions both hold on a tagged entity', () => {
    expect(simplifyFilter(all(kind('component', 'api'), kind('api', 'system')))).toEqual(kind('api'));
    expect(simplifyFilter(all(kind('component'), kind('api')))).toEqual(any());
    expect(simplifyFilter(all(tag('java'), tag('python')))).toEqual(all(tag('java'), tag('python')));
  });

  it('unites values of one key in a disjunction, and folds true and false', () => {
    expect(simplifyFilter(any(kind('user'), kind('group')))).toEqual(kind('group', 'user'));
    expect(simplifyFilter(all(kind('api'), all()))).toEqual(kind('api'));
    expect(simplifyFilter(any(kind('api'), any()))).toEqual(kind('api'));
    expect(simplifyFilter(any(kind('api'), all()))).toEqual(all());
    expect(simplifyFilter({ op: 'not', node: any() })).toEqual(all());
  });

  it('leaves what it cannot improve alone (negations, prefixes, exists)', () => {
    const f = all({ op: 'not', node: owned }, { op: 'prefix', key: 'metadata.name', prefix: 'pay' }, { op: 'exists', key: 'spec.type' });
    expect(simplifyFilter(f)).toEqual(f);
  });
});

describe('the SQL of a simplified filter', () => {
  it('checks the owned components as two semi-joins, and counts them from the kind rows', () => {
    const f = all(kind('component'), any(owned, kind('group', 'user')));
    const cond = filterCondition(f, 's.entity_id');
    expect(cond.sql).toBe(
      '(s.entity_id in (select entity_id from search where (key = ? and value = ?)) and s.entity_id in (select entity_id from search where (key = ? and value = any(?::text[]))))',
    );
    expect(cond.sql).not.toMatch(/ or /);
    expect(filterCount(f).sql).toBe(
      'select count(*)::int as count from search s where (key = ? and value = ?) and (s.entity_id in (select entity_id from search where (key = ? and value = any(?::text[]))))',
    );
  });

  it('answers an OR of leaves with one scan', () => {
    const cond = filterCondition(any(owned, tag('java')), 'e.id');
    expect(cond.sql).toBe('e.id in (select entity_id from search where (key = ? and value = any(?::text[])) or (key = ? and value = ?))');
  });
});
