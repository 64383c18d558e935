import { coreServices, createPermissions, createServiceFactory, type PermissionRequest } from '@atrium/backend-plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityDetail } from '../../common/index.js';
import { componentYaml, startTechdocs, type TechdocsTestkit } from '../testing/techdocsTestkit.testing.js';

type ErrorBody = { error: { name: string; message: string; details?: { errors: Array<{ path: string; message: string }> } } };
const paths = (b: ErrorBody) => (b.error.details?.errors ?? []).map((e) => e.path).sort();

describe('TechDocs routes (declared with defineRoute)', () => {
  let kit: TechdocsTestkit;
  const asked: PermissionRequest[] = [];
  beforeAll(async () => {
    // Allowed, except anything on component:default/secret.
    const policy = createServiceFactory(coreServices.permissions, () =>
      createPermissions((_caller, request) => {
        asked.push(request);
        return request.resourceRef === 'component:default/secret' ? { result: 'DENY' } : { result: 'ALLOW' };
      }),
    );
    kit = await startTechdocs('pglite', {
      files: {
        'catalog-info.yaml': [componentYaml('orders', 'dir:orders'), componentYaml('secret', 'dir:orders')].join('---\n'),
        'orders/docs/index.md': '# Orders\n',
      },
      services: [policy],
    });
    await kit.waitForBuild({ kind: 'component', name: 'orders' });
  });
  afterAll(async () => {
    await kit?.stop();
  });

  it('answers 400 naming each bad field of the query, path and body, without asking for a permission', async () => {
    asked.length = 0;
    const list = await kit.api<ErrorBody>('/entities?limit=0&bogus=1');
    expect(list.status).toBe(400);
    expect(paths(list.body)).toEqual(['query.bogus', 'query.limit']);
    const search = await kit.api<ErrorBody>('/search');
    expect(search.status).toBe(400);
    expect(paths(search.body)).toEqual(['query.term']);
    const build = await kit.api<ErrorBody>('/builds/default/component/orders', { method: 'POST', body: { force: 'yes', extra: 1 } });
    expect(build.status).toBe(400);
    expect(build.body.error.name).toBe('InputError');
    expect(paths(build.body)).toEqual(['body.extra', 'body.force']);
    const longName = await kit.api<ErrorBody>(`/entities/default/component/${'x'.repeat(254)}`);
    expect(paths(longName.body)).toEqual(['params.name']);
    expect(asked).toEqual([]);
  });

  it('checks the declared permission on the entity named in the path or query; a denied entity is answered like a missing one', async () => {
    asked.length = 0;
    expect((await kit.api<DocsEntityDetail>('/entities/default/component/orders')).status).toBe(200);
    expect(asked).toEqual([{ permission: 'catalog.entity.read' }, { permission: 'catalog.entity.read', resourceRef: 'component:default/orders' }]);
    asked.length = 0;
    const site = await kit.api<ErrorBody>('/sites/default/component/secret');
    expect([site.status, site.body.error.message]).toEqual([404, 'No docs have been built for component:default/secret yet']);
    expect((await kit.api('/static/docs/default/component/secret/img/a.png')).status).toBe(404);
    const search = await kit.api<{ results: unknown[] }>('/search?term=orders&entity=component:default/secret');
    expect([search.status, search.body.results]).toEqual([200, []]);
    const build = await kit.api<ErrorBody>('/builds/default/component/secret', { method: 'POST', body: {} });
    expect(build.status).toBe(404);
    for (const permission of ['catalog.entity.read', 'techdocs.build']) expect(asked).toContainEqual({ permission, resourceRef: 'component:default/secret' });
    expect(asked.filter((r) => r.resourceRef === 'component:default/orders')).toEqual([]);
    expect((await kit.api('/builds/default/component/orders', { method: 'POST', body: {} })).status).toBe(202);
  });

  it('documents every route in /api/openapi.json from the schemas it validates with', async () => {
    const doc = (await kit.backend.json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/api/openapi.json')).body;
    const techdocsPaths = Object.keys(doc.paths)
      .filter((p) => p.startsWith('/api/techdocs/'))
      .sort();
    expect(techdocsPaths).toEqual([
      '/api/techdocs/builds/{namespace}/{kind}/{name}',
      '/api/techdocs/entities',
      '/api/techdocs/entities/{namespace}/{kind}/{name}',
      '/api/techdocs/metadata/techdocs/{namespace}/{kind}/{name}',
      '/api/techdocs/owners',
      '/api/techdocs/search',
      '/api/techdocs/sites/{namespace}/{kind}/{name}',
      '/api/techdocs/sites/{namespace}/{kind}/{name}/page',
      '/api/techdocs/static/docs/{namespace}/{kind}/{name}/{path}',
    ]);
    const build = doc.paths['/api/techdocs/builds/{namespace}/{kind}/{name}']!['post']!;
    expect(build['x-atrium-permission']).toBe('techdocs.build');
    expect(build['requestBody']).toMatchObject({ content: { 'application/json': { schema: { properties: { force: { type: 'boolean' } } } } } });
    const search = doc.paths['/api/techdocs/search']!['get']!;
    expect(search['parameters']).toContainEqual(expect.objectContaining({ name: 'term', in: 'query', required: true }));
  });
});
