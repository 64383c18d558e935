import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createPermissions, createServiceFactory, type PermissionRequest } from '@atrium/backend-plugin-api';
import { startTestBackend, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPlugin } from '../plugin.js';
import { component, yamlDocs } from '../testing/catalogTestkit.testing.js';

type ErrorBody = { error: { name: string; message: string; details?: { errors: Array<{ path: string; message: string }> } } };
const paths = (b: ErrorBody) => (b.error.details?.errors ?? []).map((e) => e.path).sort();

describe('catalog routes (declared with defineRoute)', () => {
  let t: TestBackend;
  let dir: string;
  const asked: PermissionRequest[] = [];
  const api = <T = unknown>(p: string, init?: Parameters<TestBackend['json']>[1]) => t.json<T>(`/api/catalog${p}`, init);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-catalog-routes-'));
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), yamlDocs(component('orders'), component('secret')));
    // Allowed, except anything on component:default/secret.
    const policy = createServiceFactory(coreServices.permissions, () =>
      createPermissions((_caller, request) => {
        asked.push(request);
        return request.resourceRef === 'component:default/secret' ? { result: 'DENY' } : { result: 'ALLOW' };
      }),
    );
    t = await startTestBackend({
      database: 'pglite',
      plugins: [catalogPlugin],
      configDir: dir,
      services: [policy],
      config: { catalog: { processingPollMs: 100, locations: [{ type: 'file', target: './catalog-info.yaml' }], readers: { fileRoots: [dir] } } },
    });
    const end = Date.now() + 30_000;
    while ((await api('/entities/by-name/component/default/orders')).status !== 200) {
      if (Date.now() > end) throw new Error('orders never reached the catalog');
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 400 naming each bad field of the query and body, before asking for a permission', async () => {
    asked.length = 0;
    const noBody = await api<ErrorBody>('/entities/by-refs', { method: 'POST' });
    expect(noBody.status).toBe(400);
    expect(paths(noBody.body)).toEqual(['body.entityRefs']);
    const page = await api<ErrorBody>('/entities/by-query?limit=-1&totalItems=some');
    expect(page.status).toBe(400);
    expect(paths(page.body)).toEqual(['query.limit', 'query.totalItems']);
    // The query is checked first, then the body.
    const dryRun = await api<ErrorBody>('/locations?dryRun=maybe', { method: 'POST', body: { type: 'ftp' } });
    expect(dryRun.status).toBe(400);
    expect(paths(dryRun.body)).toEqual(['query.dryRun']);
    const register = await api<ErrorBody>('/locations', { method: 'POST', body: { type: 'ftp' } });
    expect(register.status).toBe(400);
    expect(paths(register.body)).toEqual(['body.target', 'body.type']);
    expect(asked).toEqual([]);
  });

  it("checks each route's permission on the entity or location it names (a hidden entity is a 404, like a missing one)", async () => {
    asked.length = 0;
    expect((await api('/entities/by-name/component/default/orders')).status).toBe(200);
    expect((await api('/entities/by-name/component/default/secret')).status).toBe(404);
    const secret = await api<{ items: Array<{ metadata: { uid: string } } | null> }>('/entities/by-refs', {
      method: 'POST',
      body: { entityRefs: ['component:default/secret'] },
    });
    const uid = secret.body.items[0]!.metadata.uid;
    expect((await api(`/entities/by-uid/${uid}`)).status).toBe(404);
    expect((await api(`/entities/by-uid/${uid}`, { method: 'DELETE' })).status).toBe(403);
    expect((await api('/refresh', { method: 'POST', body: { entityRef: 'Component:secret' } })).status).toBe(404);
    expect((await api('/entity-facets?facet=kind')).status).toBe(200);
    const [location] = (await api<Array<{ data: { id: string } }>>('/locations')).body;
    // A configured location cannot be removed through the API, but the check comes first, naming it.
    expect((await api(`/locations/${location!.data.id}`, { method: 'DELETE' })).status).toBe(403);
    // Reads: the route's check without a target, the list conditions, then the entity itself.
    expect(asked).toEqual([
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read', resourceRef: 'component:default/orders' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read', resourceRef: 'component:default/secret' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read', resourceRef: 'component:default/secret' },
      { permission: 'catalog.entity.delete', resourceRef: 'component:default/secret' },
      // A refresh (hiddenUnless): the untargeted check, the target, then whether the caller may
      // read it (no: the answer is a 404 like a missing entity's), and the audited denial.
      { permission: 'catalog.entity.refresh' },
      { permission: 'catalog.entity.refresh', resourceRef: 'component:default/secret' },
      { permission: 'catalog.entity.read', resourceRef: 'component:default/secret' },
      { permission: 'catalog.entity.refresh', resourceRef: 'component:default/secret' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.location.read' },
      { permission: 'catalog.location.delete', resourceRef: `file:${path.join(dir, 'catalog-info.yaml')}` },
    ]);
    expect((await api('/entities/by-name/component/default/secret')).status).toBe(404);
    expect((await api(`/entities/by-refs`, { method: 'POST', body: { entityRefs: ['component:default/secret'] } })).body).toEqual(secret.body);
  });

  it('documents every route in /api/openapi.json from the schemas it validates with, with its permission', async () => {
    const doc = (await t.json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/api/openapi.json')).body;
    const operations = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/catalog/'))
      .flatMap(([p, item]) => Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${p} ${JSON.stringify(op['x-atrium-permission'])}`))
      .sort();
    expect(operations).toEqual([
      'DELETE /api/catalog/entities/by-name/{kind}/{namespace}/{name}/overlay "catalog.entity.annotate"',
      'DELETE /api/catalog/entities/by-uid/{uid} "catalog.entity.delete"',
      'DELETE /api/catalog/locations/{id} "catalog.location.delete"',
      'GET /api/catalog/entities "catalog.entity.read"',
      'GET /api/catalog/entities/by-name/{kind}/{namespace}/{name} "catalog.entity.read"',
      'GET /api/catalog/entities/by-name/{kind}/{namespace}/{name}/ancestry "catalog.entity.read"',
      'GET /api/catalog/entities/by-name/{kind}/{namespace}/{name}/history "catalog.entity.read"',
      'GET /api/catalog/entities/by-query "catalog.entity.read"',
      'GET /api/catalog/entities/by-uid/{uid} "catalog.entity.read"',
      'GET /api/catalog/entity-facets "catalog.entity.read"',
      'GET /api/catalog/events "catalog.entity.read"',
      'GET /api/catalog/locations "catalog.location.read"',
      'GET /api/catalog/locations/by-entity/{kind}/{namespace}/{name} "catalog.location.read"',
      'GET /api/catalog/locations/{id} "catalog.location.read"',
      'GET /api/catalog/locations/{id}/status "catalog.location.read"',
      'GET /api/catalog/providers "catalog.provider.read"',
      'POST /api/catalog/analyze-location "catalog.location.analyze"',
      'POST /api/catalog/entities/by-name/{kind}/{namespace}/{name}/overlay "catalog.entity.annotate"',
      'POST /api/catalog/entities/by-query "catalog.entity.read"',
      'POST /api/catalog/entities/by-refs "catalog.entity.read"',
      'POST /api/catalog/entity-facets "catalog.entity.read"',
      'POST /api/catalog/locations "catalog.location.create"',
      'POST /api/catalog/locations/by-query "catalog.location.read"',
      'POST /api/catalog/refresh "catalog.entity.refresh"',
      'POST /api/catalog/validate-entity "catalog.entity.validate"',
      'PUT /api/catalog/locations/{id} "catalog.location.create"',
    ]);
    const byQuery = doc.paths['/api/catalog/entities/by-query']!['get']!;
    expect((byQuery['parameters'] as Array<{ name: string; in: string }>).map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['query:filter', 'query:fields', 'query:limit', 'query:cursor', 'query:orderField', 'query:fullTextFilterTerm']),
    );
    expect(doc.paths['/api/catalog/locations']!['post']!['requestBody']).toMatchObject({
      content: { 'application/json': { schema: { required: ['type', 'target'], properties: { type: { enum: ['file', 'url', 'git'] } } } } },
    });
    expect(doc.paths['/api/catalog/entities/by-name/{kind}/{namespace}/{name}']!['get']!['responses']).toHaveProperty('404');
  });
});
