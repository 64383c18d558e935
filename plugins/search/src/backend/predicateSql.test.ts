import { describe, expect, it } from 'vitest';
import { predicateToSql, UnsupportedPredicateError } from './predicateSql.js';

describe('permission predicate → SQL', () => {
  it('compiles ownership, deny-as-not and field matchers to jsonb containment', () => {
    const sql = predicateToSql(
      { $all: [{ 'relations.ownedBy': { $in: ['group:default/a', 'user:default/b'] } }, { $not: { 'metadata.tags': { $contains: 'Secret' } } }] },
      'c.f',
    );
    expect(sql.sql).toBe('(((c.f @> ?::jsonb or c.f @> ?::jsonb)) and not coalesce((c.f @> ?::jsonb), false))');
    expect(sql.bindings).toEqual(['{"relations.ownedby":["group:default/a"]}', '{"relations.ownedby":["user:default/b"]}', '{"metadata.tags":["secret"]}']);
  });

  it('handles $exists, $hasPrefix (LIKE-escaped) and empty lists', () => {
    expect(predicateToSql({ 'spec.owner': { $exists: true } }, 'f').sql).toBe('(coalesce(jsonb_exists(f, ?), false))');
    expect(predicateToSql({ 'metadata.name': { $hasPrefix: 'a_%' } }, 'f').bindings).toEqual(['metadata.name', 'a\\_\\%%']);
    expect(predicateToSql({ $any: [] }, 'f').sql).toBe('false');
    expect(predicateToSql({ kind: { $in: [] } }, 'f').sql).toBe('(false)');
  });

  it('refuses what it cannot compile (the caller then checks rows one by one)', () => {
    expect(() => predicateToSql({ relations: { $contains: { type: 'ownedBy' } } }, 'f')).toThrow(UnsupportedPredicateError);
  });
});
