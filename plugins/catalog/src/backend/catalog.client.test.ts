import { CATALOG_FILTER_EXISTS, CatalogClient } from '@backstage/catalog-client';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, group, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/** Backstage's own client, unchanged, against our server: every CatalogApi method. */
describe.each(testDatabaseKinds())('@backstage/catalog-client against the catalog on %s', (database) => {
  let kit: CatalogTestkit;
  let client: CatalogClient;
  let locationId: string;
  const target = () => `${kit.dir}/catalog-info.yaml`;

  beforeAll(async () => {
    kit = await startCatalog(database, {
      files: {
        'catalog-info.yaml': yamlDocs(
          group('team-a'),
          component('alpha', { owner: 'team-a' }, { tags: ['java'], description: 'Alpha service for reconciliation' }),
          component('beta', { owner: 'team-a', type: 'website' }, { annotations: { 'example.com/flag': 'on' } }),
          component('gamma', { owner: 'user:default/jane' }),
        ),
        'second/catalog-info.yaml': yamlDocs(component('delta')),
      },
    });
    client = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${kit.backend.url}/api/catalog` } });
  });
  afterAll(async () => kit?.stop());

  it('addLocation (dry run, then for real) and getLocations / getLocationById / getLocationByRef', async () => {
    const dry = await client.addLocation({ type: 'file', target: target(), dryRun: true });
    expect(dry.exists).toBe(false);
    expect(dry.entities.map((e) => e.metadata.name)).toEqual(expect.arrayContaining(['alpha', 'beta', 'gamma', 'team-a']));
    const added = await client.addLocation({ type: 'file', target: target() });
    expect(added.location).toEqual({ id: expect.any(String), type: 'file', target: target() });
    locationId = added.location.id;
    await expect(client.addLocation({ type: 'file', target: target() })).rejects.toMatchObject({ name: 'ResponseError', response: { status: 409 } });
    expect((await client.addLocation({ type: 'file', target: target(), dryRun: true })).exists).toBe(true);

    expect((await client.getLocations()).items).toEqual([{ id: locationId, type: 'file', target: target() }]);
    expect(await client.getLocationById(locationId)).toEqual({ id: locationId, type: 'file', target: target() });
    expect(await client.getLocationById('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(await client.getLocationByRef(`file:${target()}`)).toEqual({ id: locationId, type: 'file', target: target() });
    const queried = await client.queryLocations({ limit: 10 });
    expect(queried.items).toHaveLength(1);
    expect(queried.totalItems).toBe(1);
    const streamed: unknown[] = [];
    for await (const page of client.streamLocations()) streamed.push(...page);
    expect(streamed).toHaveLength(1);
  });

  it('getEntities with filters, fields, order, offset and limit', async () => {
    const all = await client.getEntities({ filter: { kind: 'Component' }, fields: ['metadata.name'], order: { field: 'metadata.name', order: 'asc' } });
    expect(all.items.map((e) => e.metadata.name)).toEqual(['alpha', 'beta', 'gamma']);
    const anyOf = await client.getEntities({ filter: [{ kind: 'group' }, { 'metadata.name': 'beta' }], fields: ['metadata.name'] });
    expect(anyOf.items.map((e) => e.metadata.name).sort()).toEqual(['beta', 'team-a']);
    const exists = await client.getEntities({ filter: { 'metadata.annotations.example.com/flag': CATALOG_FILTER_EXISTS } });
    expect(exists.items.map((e) => e.metadata.name)).toEqual(['beta']);
    const multi = await client.getEntities({ filter: { kind: 'component', 'metadata.name': ['alpha', 'gamma'] }, fields: ['metadata.name'] });
    expect(multi.items.map((e) => e.metadata.name).sort()).toEqual(['alpha', 'gamma']);
    const paged = await client.getEntities({ filter: { kind: 'component' }, order: [{ field: 'metadata.name', order: 'desc' }], offset: 1, limit: 1 });
    expect(paged.items.map((e) => e.metadata.name)).toEqual(['beta']);
  });

  it('getEntitiesByRefs keeps order and gives undefined for missing refs', async () => {
    const res = await client.getEntitiesByRefs({
      entityRefs: ['component:default/gamma', 'component:default/nope', 'group:default/team-a'],
      fields: ['kind', 'metadata.name'],
    });
    expect(res.items).toEqual([{ kind: 'Component', metadata: { name: 'gamma' } }, undefined, { kind: 'Group', metadata: { name: 'team-a' } }]);
    const filtered = await client.getEntitiesByRefs({ entityRefs: ['component:default/alpha', 'component:default/beta'], filter: { 'spec.type': 'website' } });
    expect(filtered.items.map((e) => e?.metadata.name)).toEqual([undefined, 'beta']);
    const byQuery = await client.getEntitiesByRefs({ entityRefs: ['component:default/alpha', 'component:default/beta'], query: { 'spec.type': 'service' } });
    expect(byQuery.items.map((e) => e?.metadata.name)).toEqual(['alpha', undefined]);
  });

  it('queryEntities with filters, cursors, full text, and predicates; streamEntities', async () => {
    const first = await client.queryEntities({
      filter: { kind: 'component' },
      orderFields: { field: 'metadata.name', order: 'asc' },
      limit: 2,
      fields: ['metadata.name'],
    });
    expect(first.items.map((e) => e.metadata.name)).toEqual(['alpha', 'beta']);
    expect(first.totalItems).toBe(3);
    const second = await client.queryEntities({ cursor: first.pageInfo.nextCursor!, limit: 2, fields: ['metadata.name'] });
    expect(second.items.map((e) => e.metadata.name)).toEqual(['gamma']);
    expect(second.pageInfo.nextCursor).toBeUndefined();
    const back = await client.queryEntities({ cursor: second.pageInfo.prevCursor!, limit: 2 });
    expect(back.items.map((e) => e.metadata.name)).toEqual(['alpha', 'beta']);

    const text = await client.queryEntities({ fullTextFilter: { term: 'reconciliation', fields: ['metadata.description'] } });
    expect(text.items.map((e) => e.metadata.name)).toEqual(['alpha']);

    const predicate = await client.queryEntities({
      query: { $all: [{ kind: 'component' }, { $not: { 'spec.type': 'website' } }] },
      orderFields: [{ field: 'metadata.name', order: 'desc' }],
      limit: 1,
    });
    expect(predicate.items.map((e) => e.metadata.name)).toEqual(['gamma']);
    const predicateNext = await client.queryEntities({ cursor: predicate.pageInfo.nextCursor!, limit: 5 });
    expect(predicateNext.items.map((e) => e.metadata.name)).toEqual(['alpha']);

    const pages: string[][] = [];
    for await (const page of client.streamEntities({ filter: { kind: 'component' }, pageSize: 2 })) pages.push(page.map((e) => e.metadata.name));
    expect(pages.flat().sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(pages.length).toBe(2);
  });

  it('getEntityByRef / getEntityByName / getEntityAncestors', async () => {
    const alpha = await client.getEntityByRef('component:default/alpha');
    expect(alpha?.relations).toEqual([{ type: 'ownedBy', targetRef: 'group:default/team-a' }]);
    expect(await client.getEntityByRef({ kind: 'Component', namespace: 'default', name: 'alpha' })).toEqual(alpha);
    expect(await client.getEntityByName({ kind: 'component', namespace: 'default', name: 'alpha' })).toEqual(alpha);
    expect(await client.getEntityByRef('component:default/nope')).toBeUndefined();
    const ancestry = await client.getEntityAncestors({ entityRef: 'component:default/alpha' });
    expect(ancestry.rootEntityRef).toBe('component:default/alpha');
    expect(ancestry.items).toHaveLength(2);
    expect(ancestry.items[1]!.entity.kind).toBe('Location');
  });

  it('getEntityFacets with a filter and with a predicate', async () => {
    const facets = await client.getEntityFacets({ facets: ['spec.type', 'relations.ownedBy'], filter: { kind: 'component' } });
    expect(facets.facets['spec.type']).toEqual([
      { value: 'service', count: 2 },
      { value: 'website', count: 1 },
    ]);
    expect(facets.facets['relations.ownedBy']).toEqual([
      { value: 'group:default/team-a', count: 2 },
      { value: 'user:default/jane', count: 1 },
    ]);
    const byQuery = await client.getEntityFacets({ facets: ['kind'], query: { 'metadata.name': { $in: ['alpha', 'team-a'] } } });
    expect(byQuery.facets.kind).toEqual([
      { value: 'Component', count: 1 },
      { value: 'Group', count: 1 },
    ]);
  });

  it('refreshEntity, getLocationByEntity, validateEntity, analyzeLocation', async () => {
    await client.refreshEntity('component:default/alpha');
    await expect(client.refreshEntity('component:default/nope')).rejects.toMatchObject({ response: { status: 404 } });
    expect(await client.getLocationByEntity('component:default/alpha')).toEqual({ id: locationId, type: 'file', target: target() });
    expect(await client.getLocationByEntity('component:default/nope')).toBeUndefined();

    expect(await client.validateEntity(component('valid') as never, 'url:https://example.com/catalog-info.yaml')).toEqual({ valid: true });
    const invalid = await client.validateEntity(
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'bad name!' }, spec: {} } as never,
      'url:https://example.com/x.yaml',
    );
    expect(invalid.valid).toBe(false);
    if (!invalid.valid) expect(invalid.errors.length).toBeGreaterThan(0);

    const analysis = await client.analyzeLocation({ location: { type: 'file', target: `${kit.dir}/second` } });
    expect(analysis.existingEntityFiles.map((f) => f.entity.metadata.name)).toEqual(['delta']);
    expect(analysis.existingEntityFiles[0]!.isRegistered).toBe(false);
    const empty = await client.analyzeLocation({ location: { type: 'file', target: `${kit.dir}/empty` } });
    expect(empty.existingEntityFiles).toEqual([]);
    expect(empty.generateEntities[0]!.entity.kind).toBe('Component');
  });

  it('updateLocation, removeEntityByUid, removeLocationById', async () => {
    const second = await client.addLocation({ type: 'file', target: `${kit.dir}/second/catalog-info.yaml` });
    expect((await client.getEntityByRef('component:default/delta'))?.metadata.name).toBe('delta');
    kit.write('third.yaml', yamlDocs(component('epsilon')));
    const updated = await client.updateLocation(second.location.id, { type: 'file', target: `${kit.dir}/third.yaml` });
    expect(updated).toEqual({ id: second.location.id, type: 'file', target: `${kit.dir}/third.yaml` });
    expect(await client.getEntityByRef('component:default/delta')).toBeUndefined();
    expect((await client.getEntityByRef('component:default/epsilon'))?.metadata.name).toBe('epsilon');

    const gamma = await client.getEntityByRef('component:default/gamma');
    await client.removeEntityByUid(gamma!.metadata.uid!);
    expect(await client.getEntityByRef('component:default/gamma')).toBeUndefined();

    await client.removeLocationById(second.location.id);
    expect(await client.getLocationById(second.location.id)).toBeUndefined();
    expect(await client.getEntityByRef('component:default/epsilon')).toBeUndefined();
    await expect(client.removeLocationById(second.location.id)).rejects.toMatchObject({ response: { status: 404 } });
  });
});
