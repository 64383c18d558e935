import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCatalog, type CatalogTestkit } from '../testing/catalogTestkit.testing.js';
import { textArrayParam, unnestColumns } from '@atrium/backend-plugin-api';

describe('textArrayParam', () => {
  it('joins plain lists into one string, and leaves lists it cannot join as arrays', () => {
    expect(textArrayParam(['a', null, ''])).toEqual({ sql: `string_to_array(?, E'\\x1f', E'\\x1e')`, value: 'a\u001f\u001e\u001f' });
    expect(textArrayParam(['a', 'b\u001fc']).sql).toBe('?::text[]');
    expect(textArrayParam(['a', 'b\u001e']).sql).toBe('?::text[]');
    expect(textArrayParam(['']).sql).toBe('?::text[]');
    expect(textArrayParam([]).sql).toBe('?::text[]');
  });
});

describe.each(testDatabaseKinds())('unnestColumns on %s', (database) => {
  let kit: CatalogTestkit;
  let db: Knex;
  beforeAll(async () => {
    kit = await startCatalog(database, { catalog: { processingPollMs: 600_000 } });
    db = await kit.backend.backend.database.forSchema('catalog');
  }, 120_000);
  afterAll(() => kit?.stop());

  const roundTrip = async (columns: Parameters<typeof unnestColumns>[0]) => {
    const u = unnestColumns(columns);
    const result = (await db.raw(`select u.a::text as a, u.b from ${u.sql} with ordinality as u(a, b, n) order by n`, u.bindings as Knex.RawBinding[])) as {
      rows: Array<{ a: string | null; b: string | null }>;
    };
    return result.rows.map((r) => [r.a, r.b]);
  };

  it('gives back every value as it was: nulls, empty strings, quotes, backslashes, braces, commas, unicode, JSON', async () => {
    const ids = [
      '4f9d1c1e-0d8a-4b6e-9a55-6c1f0e0b9b11',
      '0b0e3b2a-6a1f-4c1d-8f1a-2f7d3c9e8a22',
      'e3c2a1b0-9f8e-4d7c-a6b5-c4d3e2f1a033',
      null,
      'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c44',
    ];
    const texts = ['', null, 'say "hi", {x} \\ back', '{"json":"with \\"quotes\\" and \\u001f escaped"}', 'ünïcødé ✓ NULL'];
    expect(
      await roundTrip([
        [ids, 'uuid'],
        [texts, 'text'],
      ]),
    ).toEqual(ids.map((id, i) => [id, texts[i]]));
  });

  it('gives back lists that hold the separators themselves, and one-element lists', async () => {
    const texts = ['unit\u001fseparator', 'record\u001e', null];
    expect(
      await roundTrip([
        [['x', 'y', 'z'], 'text'],
        [texts, 'text'],
      ]),
    ).toEqual([
      ['x', texts[0]],
      ['y', texts[1]],
      ['z', null],
    ]);
    expect(
      await roundTrip([
        [[''], 'text'],
        [[null], 'text'],
      ]),
    ).toEqual([['', null]]);
  });
});
