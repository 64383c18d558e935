import { testDatabaseKinds } from '@atrium/test-utils';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogMigrations } from './migrations/index.js';
import { fieldTag } from './stitching/searchRows.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/** Every field key the two components below have words in (their tags are mapped back to keys to make the old form). */
const KEYS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.description',
  'metadata.title',
  'metadata.annotations.backstage.io/managed-by-location',
  'metadata.annotations.backstage.io/managed-by-origin-location',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
];

describe.each(testDatabaseKinds())('full-text field tags on %s', (database) => {
  let kit: CatalogTestkit;
  let db: Knex;
  beforeAll(async () => {
    kit = await startCatalog(database);
    db = await kit.backend.backend.database.forSchema('catalog');
    const file = kit.write(
      'fts.yaml',
      yamlDocs(
        component('settler', {}, { description: 'Settles the payments of the day' }),
        component('ledger-ui', {}, { title: 'Payments ledger', description: 'Shows balances' }),
      ),
    );
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } })).status).toBe(201);
  });
  afterAll(async () => {
    if (database === 'postgres') await db?.destroy();
    await kit?.stop();
  });

  const names = async (query: string) =>
    (await kit.json<{ items: Array<{ metadata: { name: string } }> }>(`/entities/by-query?${query}&fields=metadata.name&limit=10`)).body.items
      .map((e) => e.metadata.name)
      .sort();

  const lexemes = async (name: string) => {
    const rows = await db.raw(`select tsvector_to_array(f.fts) as l from final_entities f join entities e on e.id = f.entity_id where e.entity_ref = ?`, [
      `component:default/${name}`,
    ]);
    return (rows.rows[0].l as string[]).slice().sort();
  };

  it('stores each word bare and under a short tag of its field, and a field-limited search finds it there only', async () => {
    const stored = await lexemes('settler');
    expect(fieldTag('metadata.description')).toMatch(/^~[0-9a-f]{8}$/);
    expect(stored).toContain('payments');
    expect(stored).toContain(`${fieldTag('metadata.description')}|payments`);
    expect(stored.some((l) => l.includes('metadata'))).toBe(false);
    expect(await names('fullTextFilterTerm=payments')).toEqual(['ledger-ui', 'settler']);
    expect(await names('fullTextFilterTerm=paym&fullTextFilterFields=metadata.description')).toEqual(['settler']);
    expect(await names('fullTextFilterTerm=payments&fullTextFilterFields=metadata.title')).toEqual(['ledger-ui']);
    expect(await names('fullTextFilterTerm=payments&fullTextFilterFields=spec.owner')).toEqual([]);
  });

  it('migration 0009 rewrites documents stored with the long tags (`~<field key>|word`) to the short ones', async () => {
    const byTag = new Map(KEYS.map((k) => [fieldTag(k), k]));
    const current = { settler: await lexemes('settler'), 'ledger-ui': await lexemes('ledger-ui') };
    for (const [name, list] of Object.entries(current)) {
      // The form the stitcher wrote before: every tag spelled out as its field key.
      const old = list.map((l) => {
        if (!l.startsWith('~')) return l;
        const key = byTag.get(l.slice(0, 9));
        expect(key, `a key for ${l}`).toBeDefined();
        return `~${key}|${l.slice(10)}`;
      });
      await db.raw(`update final_entities set fts = array_to_tsvector(?::text[]) where entity_id = (select id from entities where entity_ref = ?)`, [
        old,
        `component:default/${name}`,
      ]);
    }
    expect((await lexemes('settler')).some((l) => l.startsWith('~metadata.description|'))).toBe(true);
    expect(await names('fullTextFilterTerm=payments&fullTextFilterFields=metadata.description')).toEqual([]);

    const migration = catalogMigrations.find((m) => m.name === '0009_fts_short_field_tags');
    expect(migration).toBeDefined();
    await db.transaction((trx) => migration!.up(trx));

    expect(await lexemes('settler')).toEqual(current.settler);
    expect(await lexemes('ledger-ui')).toEqual(current['ledger-ui']);
    expect(await names('fullTextFilterTerm=payments&fullTextFilterFields=metadata.description')).toEqual(['settler']);
    expect(await names('fullTextFilterTerm=payments')).toEqual(['ledger-ui', 'settler']);
    const [index] = (await db.raw(`select indexdef from pg_indexes where indexname = 'final_entities_fts'`)).rows;
    expect(index.indexdef).toContain('gin');
  });
});
