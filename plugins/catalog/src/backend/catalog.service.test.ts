import type { EventEnvelope } from '@atrium/backend-plugin-api';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEntityUpserted, catalogLocationError, CATALOG_FILTER_EXISTS, type CatalogService, type EntityChange } from '../common/index.js';
import { catalogServiceRef } from './index.js';
import { component, group, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

describe.each(testDatabaseKinds())('CatalogService and events on %s', (database) => {
  let kit: CatalogTestkit;
  let catalog: CatalogService;
  const changes: EntityChange[] = [];
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    kit = await startCatalog(database, {
      files: { 'c.yaml': yamlDocs(group('team-a'), component('one', { owner: 'team-a' }, { tags: ['java'] }), component('two')) },
    });
    catalog = kit.backend.backend.service(catalogServiceRef);
    catalog.onEntityChange((c) => {
      changes.push(c);
    });
    kit.backend.backend.events.subscribe('catalog.*', (e) => {
      events.push(e);
    });
    expect((await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/c.yaml` } })).status).toBe(201);
    await kit.waitFor(async () => changes.length >= 4);
  });
  afterAll(async () => kit?.stop());

  it('publishes catalog.entity.upserted for each stored entity', () => {
    const upserted = events.filter((e) => e.topic === catalogEntityUpserted.name).map((e) => (e.payload as { entityRef: string }).entityRef);
    expect(upserted.sort()).toEqual(expect.arrayContaining(['component:default/one', 'component:default/two', 'group:default/team-a']));
    expect(changes.find((c) => c.entityRef === 'component:default/one')).toEqual({
      type: 'upserted',
      entityRef: 'component:default/one',
      uid: expect.any(String),
    });
  });

  it('reads entities in-process', async () => {
    expect((await catalog.getEntityByRef('component:one'))?.metadata.name).toBe('one');
    expect((await catalog.getEntityByRef({ kind: 'Component', name: 'two' }))?.metadata.name).toBe('two');
    expect(await catalog.getEntityByRef('component:default/nope')).toBeUndefined();
    const byRefs = await catalog.getEntitiesByRefs(['component:default/two', 'x:default/y', 'component:default/one'], { fields: ['metadata.name'] });
    expect(byRefs).toEqual([{ metadata: { name: 'two' } }, undefined, { metadata: { name: 'one' } }]);
    const page = await catalog.queryEntities({ filter: { kind: 'component', 'metadata.tags': CATALOG_FILTER_EXISTS }, fields: ['metadata.name'] });
    expect(page.items).toEqual([{ metadata: { name: 'one' } }]);
    expect(page.totalItems).toBe(1);
    const ordered = await catalog.queryEntities({ query: { kind: 'component' }, orderFields: { field: 'metadata.name', order: 'desc' }, limit: 1 });
    expect(ordered.items.map((e) => e.metadata.name)).toEqual(['two']);
    const next = await catalog.queryEntities({ cursor: ordered.pageInfo.nextCursor! });
    expect(next.items.map((e) => e.metadata.name)).toEqual(['one']);
    expect((await catalog.getEntities({ filter: [{ kind: 'group' }, { 'metadata.name': 'two' }] })).items.map((e) => e.metadata.name).sort()).toEqual([
      'team-a',
      'two',
    ]);
    expect((await catalog.getEntityFacets({ facets: ['kind'] })).facets.kind).toEqual(expect.arrayContaining([{ value: 'Component', count: 2 }]));
  });

  it('publishes catalog.entity.removed and catalog.location.error', async () => {
    kit.write(
      'c.yaml',
      yamlDocs(group('team-a'), component('one', { owner: 'team-a' }), {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'bad' },
        spec: {},
      }),
    );
    await catalog.refreshEntity('component:default/one');
    await kit.waitFor(async () => changes.some((c) => c.type === 'removed'));
    expect(changes.filter((c) => c.type === 'removed')).toEqual([{ type: 'removed', entityRef: 'component:default/two' }]);
    await kit.waitFor(async () => events.some((e) => e.topic === catalogLocationError.name));
    const error = events.find((e) => e.topic === catalogLocationError.name)!.payload as { locationId: string; errors: Array<{ entityRef?: string }> };
    expect(error.locationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.errors.some((e) => e.entityRef === 'component:default/bad')).toBe(true);
  });
});
