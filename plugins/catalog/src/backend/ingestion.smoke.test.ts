import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, group, startCatalog, yamlDocs, type CatalogTestkit } from './testing/catalogTestkit.testing.js';

describe('smoke', () => {
  let kit: CatalogTestkit;
  beforeAll(async () => {
    kit = await startCatalog('pglite', {
      files: { 'catalog-info.yaml': yamlDocs(component('svc-a', { providesApis: ['api-a'] }), group('team-a')) },
    });
  });
  afterAll(async () => kit?.stop());

  it('registers and serves', async () => {
    const res = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/catalog-info.yaml` } });
    console.log(JSON.stringify(res, null, 1).slice(0, 3000));
    expect(res.status).toBe(201);
    const e = await kit.json('/entities/by-name/component/default/svc-a');
    console.log(JSON.stringify(e.body, null, 1));
    const g = await kit.json('/entities/by-name/group/default/team-a');
    console.log(JSON.stringify(g.body.relations));
    const q = await kit.json('/entities/by-query?filter=kind=component&limit=1');
    console.log(JSON.stringify(q.body).slice(0, 500));
  });
});
