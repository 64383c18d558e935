import { ConflictError, NotAllowedError } from '@atrium/backend-plugin-api';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogService } from '../common/index.js';
import { catalogServiceRef } from './index.js';
import { component, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

/** CatalogService.addLocation / waitForLocationRead / refreshLocation / removeLocation, in-process. */
describe.each(testDatabaseKinds())('CatalogService locations on %s', (database) => {
  let kit: CatalogTestkit;
  let catalog: CatalogService;

  beforeAll(async () => {
    kit = await startCatalog(database, {
      files: { 'configured.yaml': yamlDocs(component('configured')) },
      catalog: { locations: [{ type: 'file', target: './configured.yaml' }] },
    });
    catalog = kit.backend.backend.service(catalogServiceRef);
  });
  afterAll(async () => kit?.stop());

  it('adds a location, waits for its first read and returns its entities', async () => {
    const file = kit.write('good.yaml', yamlDocs(component('alpha')));
    const { location, existed } = await catalog.addLocation({ type: 'file', target: file });
    expect(existed).toBe(false);
    const read = await catalog.waitForLocationRead(location.id, { timeoutMs: 20_000 });
    expect(read.status.errors).toEqual([]);
    expect(read.status.entityCount).toBeGreaterThan(0);
    expect(read.entities.map((e) => `${e.kind}:${e.metadata.name}`)).toContain('Component:alpha');
    expect(await catalog.getEntityByRef('component:default/alpha')).toBeDefined();
  });

  it("reports the location's errors when its file yields nothing valid", async () => {
    const file = kit.write('broken.yaml', 'kind: Component\nmetadata: { name: [not, a, name] }\n');
    const { location } = await catalog.addLocation({ type: 'file', target: file });
    const read = await catalog.waitForLocationRead(location.id, { timeoutMs: 20_000 });
    expect(read.status.errors.length).toBeGreaterThan(0);
    expect(read.entities.filter((e) => e.kind !== 'Location')).toEqual([]);
    const missing = await catalog.addLocation({ type: 'file', target: `${kit.dir}/nope.yaml` });
    const missingRead = await catalog.waitForLocationRead(missing.location.id, { timeoutMs: 20_000 });
    expect(missingRead.status.errors.map((e) => e.message).join('\n')).toMatch(/nope\.yaml/);
  });

  it('refuses duplicates unless asked to refresh, and then re-reads', async () => {
    const file = kit.write('again.yaml', yamlDocs(component('beta')));
    const first = await catalog.addLocation({ type: 'file', target: file });
    await catalog.waitForLocationRead(first.location.id, { timeoutMs: 20_000 });
    await expect(catalog.addLocation({ type: 'file', target: file })).rejects.toBeInstanceOf(ConflictError);
    kit.write('again.yaml', yamlDocs(component('beta'), component('gamma')));
    const second = await catalog.addLocation({ type: 'file', target: file }, { onConflict: 'refresh' });
    expect(second).toEqual({ location: first.location, existed: true });
    const read = await catalog.waitForLocationRead(second.location.id, { timeoutMs: 20_000 });
    expect(read.entities.map((e) => e.metadata.name)).toEqual(expect.arrayContaining(['beta', 'gamma']));

    kit.write('again.yaml', yamlDocs(component('beta')));
    await catalog.refreshLocation(first.location.id);
    expect(await catalog.getEntityByRef('component:default/gamma')).toBeUndefined();
  });

  it('applies the same target rules as POST /locations', async () => {
    await expect(catalog.addLocation({ type: 'file', target: '/etc/passwd' })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(catalog.addLocation({ type: 'url', target: 'javascript:alert(1)' })).rejects.toThrow(/http or https/);
  });

  it('removes a registered location with its entities, and refuses config locations', async () => {
    const file = kit.write('gone.yaml', yamlDocs(component('delta')));
    const { location } = await catalog.addLocation({ type: 'file', target: file });
    await catalog.waitForLocationRead(location.id, { timeoutMs: 20_000 });
    expect(await catalog.getEntityByRef('component:default/delta')).toBeDefined();
    await catalog.removeLocation(location.id);
    expect(await catalog.getEntityByRef('component:default/delta')).toBeUndefined();
    expect(await catalog.getLocationStatus(location.id)).toBeUndefined();
    await expect(catalog.waitForLocationRead(location.id, { timeoutMs: 1000 })).rejects.toThrow(/no location/);
    const all = await kit.json<Array<{ data: { id: string; target: string } }>>('/locations');
    const configured = all.body.find((l) => l.data.target.endsWith('configured.yaml'))!;
    await expect(catalog.removeLocation(configured.data.id)).rejects.toBeInstanceOf(NotAllowedError);
  });
});
