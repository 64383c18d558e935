import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, group, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

const refresh = (kit: CatalogTestkit, entityRef: string) => kit.json('/refresh', { method: 'POST', body: { entityRef } });
const byName = (kit: CatalogTestkit, ref: string) => kit.json(`/entities/by-name/${ref.replace(':', '/').replace(/^([^/]+)\/([^/]+)$/, '$1/default/$2')}`);

describe.each(testDatabaseKinds())('catalog ingestion on %s', (database) => {
  describe('static and registered locations', () => {
    let kit: CatalogTestkit;
    beforeAll(async () => {
      kit = await startCatalog(database, {
        files: {
          'all.yaml': yamlDocs({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Location',
            metadata: { name: 'root' },
            spec: { targets: ['./teams.yaml', './services.yaml'] },
          }),
          'teams.yaml': yamlDocs(group('team-a'), group('team-b')),
          'services.yaml': yamlDocs(component('svc-a', { owner: 'team-a' }), component('svc-b', { owner: 'team-b', dependsOn: ['component:svc-a'] })),
        },
        catalog: { locations: [{ type: 'file', target: './all.yaml' }] },
      });
      await kit.waitFor(async () => (await byName(kit, 'component:svc-b')).status === 200);
    });
    afterAll(async () => kit?.stop());

    it('reads a config location and the locations it names, with relations both ways', async () => {
      const teamA = (await kit.json('/entities/by-name/group/default/team-a')).body;
      expect(teamA.relations).toEqual([{ type: 'ownerOf', targetRef: 'component:default/svc-a' }]);
      const svcA = (await kit.json('/entities/by-name/component/default/svc-a')).body;
      expect(svcA.relations).toEqual([
        { type: 'dependencyOf', targetRef: 'component:default/svc-b' },
        { type: 'ownedBy', targetRef: 'group:default/team-a' },
      ]);
      // A time-ordered UUID (version 7, see store/entityId.ts).
      expect(svcA.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(svcA.metadata.etag).toBeTruthy();
      expect(svcA.metadata.annotations['backstage.io/managed-by-location']).toBe(`file:${kit.dir}/services.yaml`);
      expect(svcA.metadata.annotations['backstage.io/managed-by-origin-location']).toBe(`file:${kit.dir}/all.yaml`);
      const locations = (await kit.json('/locations')).body;
      expect(locations).toEqual([{ data: { id: expect.any(String), type: 'file', target: `${kit.dir}/all.yaml` } }]);
    });

    it('gives ancestry through the Location entities', async () => {
      const res = await kit.json('/entities/by-name/component/default/svc-a/ancestry');
      expect(res.status).toBe(200);
      expect(res.body.rootEntityRef).toBe('component:default/svc-a');
      const refs = res.body.items.map((i: { entity: { kind: string; metadata: { name: string } } }) => `${i.entity.kind}:${i.entity.metadata.name}`);
      expect(refs[0]).toBe('Component:svc-a');
      expect(refs[1]).toBe('Location:root');
      expect(refs[2]).toMatch(/^Location:generated-[0-9a-f]{40}$/);
      expect(res.body.items[0].parentEntityRefs).toEqual(['location:default/root']);
      expect(res.body.items[2].parentEntityRefs).toEqual([]);
    });

    it('applies changes, keeps uid, changes etag only when content changes, removes what is gone', async () => {
      const facets = async () => (await kit.json('/entity-facets?facet=spec.owner&filter=kind=component')).body.facets['spec.owner'];
      // Facets are cached until the catalog changes: asked twice, then again after the change below.
      expect(await facets()).toEqual([
        { value: 'team-a', count: 1 },
        { value: 'team-b', count: 1 },
      ]);
      expect(await facets()).toEqual([
        { value: 'team-a', count: 1 },
        { value: 'team-b', count: 1 },
      ]);
      const before = (await byName(kit, 'component:svc-a')).body;
      await refresh(kit, 'component:default/svc-a');
      const same = (await byName(kit, 'component:svc-a')).body;
      expect(same.metadata.etag).toBe(before.metadata.etag);

      kit.write('services.yaml', yamlDocs(component('svc-a', { owner: 'team-b' }, { description: 'changed' })));
      expect((await refresh(kit, 'component:default/svc-a')).status).toBe(200);
      const after = (await byName(kit, 'component:svc-a')).body;
      expect(after.metadata.uid).toBe(before.metadata.uid);
      expect(after.metadata.etag).not.toBe(before.metadata.etag);
      expect(after.metadata.description).toBe('changed');
      expect((await byName(kit, 'component:svc-b')).status).toBe(404);
      // Relations are restitched on both ends.
      expect((await byName(kit, 'group:team-a')).body.relations).toEqual([]);
      expect((await byName(kit, 'group:team-b')).body.relations).toEqual([{ type: 'ownerOf', targetRef: 'component:default/svc-a' }]);
      expect(await facets()).toEqual([{ value: 'team-b', count: 1 }]);
    });

    it('keeps the last good version of an entity whose new version is invalid, with the error as status', async () => {
      kit.write('services.yaml', yamlDocs(component('svc-a', { owner: 'team-b', lifecycle: 42 }, { description: 'broken' })));
      await refresh(kit, 'component:default/svc-a');
      const kept = (await byName(kit, 'component:svc-a')).body;
      expect(kept.metadata.description).toBe('changed');
      const items = kept.status.items.filter((i: { type: string }) => i.type === 'backstage.io/catalog-processing');
      expect(items).toHaveLength(1);
      expect(items[0].level).toBe('error');
      expect(items[0].message).toContain('spec.lifecycle');
      expect(items[0].error.file).toBe(`${kit.dir}/services.yaml`);

      kit.write('services.yaml', yamlDocs(component('svc-a', { owner: 'team-b' }, { description: 'fixed' })));
      await refresh(kit, 'component:default/svc-a');
      const fixed = (await byName(kit, 'component:svc-a')).body;
      expect(fixed.metadata.description).toBe('fixed');
      expect(fixed.status).toBeUndefined();
    });

    it('registers a location through the API; a second location claiming the same entity gets a conflict', async () => {
      // Both held by the first location: svc-a (services.yaml) in a valid version, team-a (teams.yaml) in
      // an invalid one (no spec.type), which is not written, so the read asks who holds it.
      const invalidTeamA = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a' }, spec: { children: [] } };
      kit.write('other/catalog-info.yaml', yamlDocs(component('svc-other'), component('svc-a', { owner: 'intruder' }), invalidTeamA));
      const res = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/other/catalog-info.yaml` } });
      expect(res.status).toBe(201);
      expect(res.body.location).toEqual({ id: expect.any(String), type: 'file', target: `${kit.dir}/other/catalog-info.yaml` });
      expect((await byName(kit, 'component:svc-other')).status).toBe(200);
      // The first location keeps svc-a and team-a.
      expect((await byName(kit, 'component:svc-a')).body.spec.owner).toBe('team-b');
      expect((await byName(kit, 'group:team-a')).body.spec.type).toBe('team');
      const status = (await kit.json(`/locations/${res.body.location.id}/status`)).body;
      // Each conflict names the file that holds the entity.
      expect(status.errors).toHaveLength(3);
      expect(status.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'InputError', entityRef: 'group:default/team-a', field: 'spec.type' }),
          expect.objectContaining({
            name: 'ConflictError',
            entityRef: 'group:default/team-a',
            message: expect.stringContaining(`provided by ${kit.dir}/teams.yaml`),
          }),
          expect.objectContaining({
            name: 'ConflictError',
            entityRef: 'component:default/svc-a',
            message: expect.stringContaining(`provided by ${kit.dir}/services.yaml`),
          }),
        ]),
      );
      expect(status.entityCount).toBe(2); // svc-other + the generated Location entity
      const by = await kit.json('/locations/by-entity/component/default/svc-other');
      expect(by.body).toEqual(res.body.location);

      const again = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/other/catalog-info.yaml` } });
      expect(again.status).toBe(409);
      expect(again.body.error.name).toBe('ConflictError');

      expect((await kit.json(`/locations/${res.body.location.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await byName(kit, 'component:svc-other')).status).toBe(404);
      expect((await kit.json(`/locations/${res.body.location.id}`)).status).toBe(404);
    });

    it('refuses file locations outside the allowed roots and configured-location removal', async () => {
      const outside = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: '/etc/passwd' } });
      expect(outside.status).toBe(403);
      expect(outside.body.error.message).toContain('outside the allowed roots');
      const relative = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: 'x.yaml' } });
      expect(relative.status).toBe(400);
      const [config] = (await kit.json('/locations')).body;
      expect((await kit.json(`/locations/${config.data.id}`, { method: 'DELETE' })).status).toBe(403);
    });

    it('deletes an entity by uid, and its location brings it back on the next read', async () => {
      const svc = (await byName(kit, 'component:svc-a')).body;
      expect((await kit.json(`/entities/by-uid/${svc.metadata.uid}`)).body.metadata.name).toBe('svc-a');
      expect((await kit.json(`/entities/by-uid/${svc.metadata.uid}`, { method: 'DELETE' })).status).toBe(204);
      expect((await kit.json(`/entities/by-uid/${svc.metadata.uid}`)).status).toBe(404);
      expect((await byName(kit, 'group:team-b')).body.relations).toEqual([]);
      await refresh(kit, 'location:default/root');
      const back = (await byName(kit, 'component:svc-a')).body;
      expect(back.metadata.name).toBe('svc-a');
      expect(back.metadata.uid).not.toBe(svc.metadata.uid);
    });

    it('dry-runs a registration without storing anything', async () => {
      kit.write('dry/catalog-info.yaml', yamlDocs(component('svc-dry')));
      const res = await kit.json('/locations?dryRun=true', { method: 'POST', body: { type: 'file', target: `${kit.dir}/dry/catalog-info.yaml` } });
      expect(res.status).toBe(201);
      expect(res.body.exists).toBe(false);
      expect(res.body.entities.map((e: { metadata: { name: string } }) => e.metadata.name)).toContain('svc-dry');
      expect((await byName(kit, 'component:svc-dry')).status).toBe(404);
      kit.write('dry/bad.yaml', 'kind: [unclosed');
      const bad = await kit.json('/locations?dryRun=true', { method: 'POST', body: { type: 'file', target: `${kit.dir}/dry/bad.yaml` } });
      expect(bad.status).toBe(400);
    });
  });

  describe('orphanStrategy keep', () => {
    let kit: CatalogTestkit;
    beforeAll(async () => {
      kit = await startCatalog(database, { catalog: { orphanStrategy: 'keep' }, files: { 'c.yaml': yamlDocs(component('keep-a'), component('keep-b')) } });
    });
    afterAll(async () => kit?.stop());

    it('marks entities no longer emitted as orphans instead of deleting them', async () => {
      const reg = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/c.yaml` } });
      expect(reg.status).toBe(201);
      kit.write('c.yaml', yamlDocs(component('keep-a')));
      await refresh(kit, 'component:default/keep-a');
      const orphan = (await byName(kit, 'component:keep-b')).body;
      expect(orphan.metadata.annotations['backstage.io/orphan']).toBe('true');
      expect((await byName(kit, 'component:keep-a')).body.metadata.annotations['backstage.io/orphan']).toBeUndefined();
      expect((await kit.json('/locations/by-entity/component/default/keep-b')).status).toBe(404);
      // Emitted again: adopted back, no longer an orphan.
      kit.write('c.yaml', yamlDocs(component('keep-a'), component('keep-b')));
      await refresh(kit, 'component:default/keep-a');
      expect((await byName(kit, 'component:keep-b')).body.metadata.annotations['backstage.io/orphan']).toBeUndefined();
    });

    it('keeps entities of a file that can no longer be read, and reports the error on the location', async () => {
      kit.write('c.yaml', 'apiVersion: [oops');
      await refresh(kit, 'component:default/keep-a');
      expect((await byName(kit, 'component:keep-a')).body.metadata.annotations['backstage.io/orphan']).toBeUndefined();
      const [loc] = (await kit.json('/locations')).body;
      const status = (await kit.json(`/locations/${loc.data.id}/status`)).body;
      expect(status.errors.length).toBeGreaterThan(0);
      expect(status.errors[0].file).toBe(`${kit.dir}/c.yaml`);
    });
  });
});
