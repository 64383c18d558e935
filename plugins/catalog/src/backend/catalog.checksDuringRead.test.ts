import { testDatabaseKinds } from '@atrium/test-utils';
import type { Entity } from '@atrium/catalog-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogService } from '../common/index.js';
import { catalogServiceRef } from './index.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/**
 * Plugins register their entity checks while the catalog is already reading (on a first start,
 * the whole corpus). A read that a check change overtook reads its location again only if it
 * stored entities of the kinds that changed (their problems, or the field lines of the problems,
 * may be missing), instead of always reading the whole location tree a second time (issue 20).
 */
describe.each(testDatabaseKinds())('entity checks that change during a read, on %s', (database) => {
  let kit: CatalogTestkit;
  let catalog: CatalogService;
  /** Kinds to register a check for when the trigger component of that name is checked. */
  const registerWhenChecking = new Map<string, string>();

  beforeAll(async () => {
    // The loop ticks at start and then not again within this test: a requested re-read stays visible as force_refresh.
    kit = await startCatalog(database, { catalog: { processingPollMs: 120_000 } });
    catalog = kit.backend.backend.service(catalogServiceRef);
    await catalog.registerEntityCheck({
      id: 'test.trigger',
      kinds: ['Component'],
      check: (entity: Entity) => {
        const kind = registerWhenChecking.get(entity.metadata.name);
        if (kind) {
          registerWhenChecking.delete(entity.metadata.name);
          // Registered in the middle of the read, as a plugin starting up would.
          void catalog.registerEntityCheck({ id: `test.${kind.toLowerCase()}`, kinds: [kind], check: () => [{ message: `no ${kind} passes` }] });
        }
        return [];
      },
    });
  });
  afterAll(async () => kit?.stop());

  const forceRefresh = async (file: string) => {
    const db = await kit.backend.backend.database.forSchema('catalog');
    try {
      const rows = (await db.raw(`select force_refresh from locations where target = ?`, [file])).rows as Array<{ force_refresh: boolean }>;
      return rows[0]?.force_refresh;
    } finally {
      if (database === 'postgres') await db.destroy();
    }
  };

  it('does not read a location again when none of its stored entities is of a kind whose checks changed', async () => {
    registerWhenChecking.set('trigger-a', 'Resource');
    const file = kit.write('a.yaml', yamlDocs(component('trigger-a'), component('other-a')));
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } })).status).toBe(201);
    expect(registerWhenChecking.has('trigger-a')).toBe(false);
    expect(await forceRefresh(file)).toBe(false);
  });

  it('reads a location again when it stored an entity of a kind whose checks changed', async () => {
    registerWhenChecking.set('trigger-b', 'System');
    const system = { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'early' }, spec: { owner: 'team-a' } };
    const file = kit.write('b.yaml', yamlDocs(system, component('trigger-b')));
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: file } })).status).toBe(201);
    expect(registerWhenChecking.has('trigger-b')).toBe(false);
    expect(await forceRefresh(file)).toBe(true);
  });
});
