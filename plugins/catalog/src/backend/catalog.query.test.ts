import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { component, group, startCatalog, yamlDocs, type CatalogTestkit, type JsonInit } from './testing/catalogTestkit.testing.js';

const api = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name, description: `The ${name} interface` },
  spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a', definition: 'openapi: 3.0.0', ...spec },
});

const names = (items: Array<{ metadata: { name: string } } | null>) => items.map((e) => e?.metadata.name ?? null);

describe.each(testDatabaseKinds())('catalog queries on %s', (database) => {
  let kit: CatalogTestkit;
  beforeAll(async () => {
    kit = await startCatalog(database, {
      files: {
        'catalog-info.yaml': yamlDocs(
          group('team-a'),
          group('team-b'),
          component(
            'payments',
            { owner: 'team-a', providesApis: ['payments-api'] },
            { tags: ['java', 'pci'], title: 'Payments', description: 'Handles card payments and reconciliation' },
          ),
          component('ledger', { owner: 'team-a', type: 'library' }, { tags: ['java'], description: 'Double-entry ledger' }),
          component(
            'checkout',
            { owner: 'team-b', type: 'website', lifecycle: 'experimental' },
            { tags: ['typescript'], description: 'Checkout web app', annotations: { 'example.com/tier': 'Gold' } },
          ),
          component('search', { owner: 'team-b', type: 'Service' }, { description: 'Search service for the reconciliation team' }),
          api('payments-api'),
        ),
      },
    });
    const res = await kit.json('/locations', { method: 'POST', body: { type: 'file', target: `${kit.dir}/catalog-info.yaml` } });
    expect(res.status).toBe(201);
  });
  afterAll(async () => kit?.stop());

  describe('GET /entities filters', () => {
    const list = async (qs: string) => {
      const res = await kit.json(`/entities?${qs}`);
      expect(res.status).toBe(200);
      return (res.body as Array<{ metadata: { name: string } }>).map((e) => e.metadata.name).sort();
    };
    it('ANDs conditions in one filter and ORs filter parameters, case-insensitively', async () => {
      expect(await list('filter=kind=component,spec.owner=group:default/team-a')).toEqual([]);
      expect(await list('filter=kind=Component,spec.owner=TEAM-A')).toEqual(['ledger', 'payments']);
      expect(await list('filter=kind=api&filter=metadata.name=ledger')).toEqual(['ledger', 'payments-api']);
      expect(await list('filter=kind=component,spec.type=service')).toEqual(['payments', 'search']);
    });
    it('matches array items, relations, existence and repeated keys', async () => {
      expect(await list('filter=metadata.tags=java')).toEqual(['ledger', 'payments']);
      expect(await list('filter=metadata.tags.pci')).toEqual(['payments']);
      expect(await list('filter=relations.ownedBy=group:default/team-b')).toEqual(['checkout', 'search']);
      expect(await list('filter=relations.providesapi')).toEqual(['payments']);
      expect(await list('filter=metadata.annotations.example.com/tier')).toEqual(['checkout']);
      expect(await list('filter=metadata.annotations.example.com/tier=gold')).toEqual(['checkout']);
      expect(await list('filter=kind=component,metadata.name=ledger,metadata.name=search')).toEqual(['ledger', 'search']);
    });
    it('projects fields, orders and pages with offset/limit/after and a link header', async () => {
      const res = await kit.json('/entities?filter=kind=component&fields=metadata.name,spec.type&order=desc:metadata.name');
      expect(res.body).toEqual([
        { metadata: { name: 'search' }, spec: { type: 'Service' } },
        { metadata: { name: 'payments' }, spec: { type: 'service' } },
        { metadata: { name: 'ledger' }, spec: { type: 'library' } },
        { metadata: { name: 'checkout' }, spec: { type: 'website' } },
      ]);
      const page = await kit.backend.fetch(`/api/catalog/entities?filter=kind=component&order=asc:metadata.name&limit=3&fields=metadata.name`);
      expect(await page.json()).toEqual([{ metadata: { name: 'checkout' } }, { metadata: { name: 'ledger' } }, { metadata: { name: 'payments' } }]);
      const link = page.headers.get('link');
      expect(link).toMatch(/rel="next"/);
      const next = link!.match(/<([^>]+)>/)![1]!;
      const rest = await kit.backend.json(next);
      expect(rest.body).toEqual([{ metadata: { name: 'search' } }]);
      expect((await kit.json('/entities?filter=kind=component&order=asc:metadata.name&offset=3&fields=metadata.name')).body).toEqual([
        { metadata: { name: 'search' } },
      ]);
    });
  });

  describe('GET /entities/by-query', () => {
    it('pages with cursors both ways and carries totalItems', async () => {
      const first = await kit.json('/entities/by-query?filter=kind=component&orderField=metadata.name,asc&limit=2&fields=metadata.name');
      expect(first.status).toBe(200);
      expect(names(first.body.items)).toEqual(['checkout', 'ledger']);
      expect(first.body.totalItems).toBe(4);
      expect(first.body.pageInfo.prevCursor).toBeUndefined();
      const cursor = JSON.parse(Buffer.from(first.body.pageInfo.nextCursor, 'base64').toString());
      expect(cursor).toHaveProperty('filter');
      expect(cursor).not.toHaveProperty('query');
      const second = await kit.json(`/entities/by-query?cursor=${encodeURIComponent(first.body.pageInfo.nextCursor)}&limit=2&fields=metadata.name`);
      expect(names(second.body.items)).toEqual(['payments', 'search']);
      expect(second.body.totalItems).toBe(4);
      expect(second.body.pageInfo.nextCursor).toBeUndefined();
      const back = await kit.json(`/entities/by-query?cursor=${encodeURIComponent(second.body.pageInfo.prevCursor)}&limit=2&fields=metadata.name`);
      expect(names(back.body.items)).toEqual(['checkout', 'ledger']);
      expect(back.body.pageInfo.prevCursor).toBeUndefined();
      expect(back.body.pageInfo.nextCursor).toBeDefined();
    });
    it('orders descending and by uid by default', async () => {
      const desc = await kit.json('/entities/by-query?filter=kind=component&orderField=metadata.name,desc&limit=10&fields=metadata.name');
      expect(names(desc.body.items)).toEqual(['search', 'payments', 'ledger', 'checkout']);
      const byUid = await kit.json('/entities/by-query?filter=kind=component&limit=10&fields=metadata.uid');
      const uids = byUid.body.items.map((e: { metadata: { uid: string } }) => e.metadata.uid);
      expect(uids).toEqual([...uids].sort());
    });
    it('pages in uid order through filters read from one leaf (kind, a tag) with the rest applied, both ways', async () => {
      type Item = { metadata: { uid: string; name: string } };
      const walk = async (filter: string) => {
        const seen: Item[] = [];
        let res = await kit.json(`/entities/by-query?${filter}&limit=1&fields=metadata.uid,metadata.name`);
        expect(res.status).toBe(200);
        const total = res.body.totalItems as number;
        for (;;) {
          seen.push(...(res.body.items as Item[]));
          if (!res.body.pageInfo.nextCursor) break;
          res = await kit.json(`/entities/by-query?cursor=${encodeURIComponent(res.body.pageInfo.nextCursor)}&limit=1&fields=metadata.uid,metadata.name`);
        }
        // And back again from the last page.
        const back: Item[] = [];
        while (res.body.pageInfo.prevCursor) {
          res = await kit.json(`/entities/by-query?cursor=${encodeURIComponent(res.body.pageInfo.prevCursor)}&limit=1&fields=metadata.uid,metadata.name`);
          back.unshift(...(res.body.items as Item[]));
        }
        const uids = seen.map((e) => e.metadata.uid);
        expect(uids).toEqual([...uids].sort());
        expect(seen.length).toBe(total);
        expect(back.map((e) => e.metadata.uid)).toEqual(uids.slice(0, -1));
        return seen.map((e) => e.metadata.name).sort();
      };
      expect(await walk('filter=kind=component')).toEqual(['checkout', 'ledger', 'payments', 'search']);
      expect(await walk('filter=metadata.tags=java')).toEqual(['ledger', 'payments']);
      expect(await walk('filter=metadata.tags=java,spec.type=library')).toEqual(['ledger']);
      expect(await walk('filter=kind=component,spec.owner=team-b,spec.type=service')).toEqual(['search']);
      // A key repeated in one filter is any of its values (as in Backstage): not a leaf to read from.
      expect(await walk('filter=kind=component,spec.type=service,spec.type=website')).toEqual(['checkout', 'payments', 'search']);
      // Two filter parameters are an OR: no single leaf to read from.
      expect(await walk('filter=kind=api&filter=metadata.tags=pci')).toEqual(['payments', 'payments-api']);
      const offset = await kit.json('/entities/by-query?filter=kind=component&limit=2&offset=2&fields=metadata.name');
      expect(offset.body.items).toHaveLength(2);
    });
    it('full-text searches with Postgres text search, in all fields or the given ones', async () => {
      const any = await kit.json('/entities/by-query?fullTextFilterTerm=reconcil&limit=10&fields=metadata.name');
      expect(names(any.body.items).sort()).toEqual(['payments', 'search']);
      expect(any.body.totalItems).toBe(2);
      const inTitle = await kit.json('/entities/by-query?fullTextFilterTerm=payments&fullTextFilterFields=metadata.title&limit=10&fields=metadata.name');
      expect(names(inTitle.body.items)).toEqual(['payments']);
      const combined = await kit.json('/entities/by-query?filter=kind=api&fullTextFilterTerm=interface&limit=10&fields=metadata.name');
      expect(names(combined.body.items)).toEqual(['payments-api']);
      const none = await kit.json('/entities/by-query?fullTextFilterTerm=nothingmatches&limit=10');
      expect(none.body).toEqual({ items: [], totalItems: 0, pageInfo: {} });
    });
    it('accepts predicate queries on POST with a query cursor', async () => {
      const res = await kit.json('/entities/by-query', {
        method: 'POST',
        body: {
          query: { $all: [{ kind: 'component' }, { $any: [{ 'metadata.tags': { $contains: 'java' } }, { 'spec.type': { $in: ['website'] } }] }] },
          orderBy: [{ field: 'metadata.name', order: 'asc' }],
          limit: 2,
          fields: ['metadata.name'],
        },
      });
      expect(res.status).toBe(200);
      expect(names(res.body.items)).toEqual(['checkout', 'ledger']);
      expect(res.body.totalItems).toBe(3);
      expect(JSON.parse(Buffer.from(res.body.pageInfo.nextCursor, 'base64').toString())).toHaveProperty('query');
      const next = await kit.json('/entities/by-query', { method: 'POST', body: { cursor: res.body.pageInfo.nextCursor, fields: ['metadata.name'] } });
      expect(names(next.body.items)).toEqual(['payments']);
      const rel = await kit.json('/entities/by-query', {
        method: 'POST',
        body: { query: { relations: { $contains: { type: 'ownedBy', targetRef: 'group:default/team-a' } }, $not: { kind: 'api' } }, fields: ['metadata.name'] },
      });
      expect(names(rel.body.items).sort()).toEqual(['ledger', 'payments']);
      const prefix = await kit.json('/entities/by-query', {
        method: 'POST',
        body: { query: { 'metadata.name': { $hasPrefix: 'PAY' } }, fields: ['metadata.name'] },
      });
      expect(names(prefix.body.items).sort()).toEqual(['payments', 'payments-api']);
    });
  });

  it('POST /entities/by-refs answers in request order with nulls', async () => {
    const res = await kit.json('/entities/by-refs', {
      method: 'POST',
      body: { entityRefs: ['component:default/ledger', 'component:default/missing', 'Component:Payments', 'not a ref:/'], fields: ['metadata.name'] },
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ metadata: { name: 'ledger' } }, null, { metadata: { name: 'payments' } }, null]);
    const filtered = await kit.json('/entities/by-refs?filter=spec.type=library', {
      method: 'POST',
      body: { entityRefs: ['component:default/ledger', 'component:default/payments'] },
    });
    expect(names(filtered.body.items)).toEqual(['ledger', null]);
  });

  it('GET /entity-facets counts original-case values under a filter', async () => {
    const res = await kit.json('/entity-facets?facet=spec.type&facet=metadata.tags&filter=kind=component');
    expect(res.status).toBe(200);
    expect(res.body.facets['spec.type']).toEqual(
      expect.arrayContaining([
        { value: 'service', count: 1 },
        { value: 'Service', count: 1 },
        { value: 'library', count: 1 },
        { value: 'website', count: 1 },
      ]),
    );
    expect(res.body.facets['metadata.tags']).toEqual([
      { value: 'java', count: 2 },
      { value: 'pci', count: 1 },
      { value: 'typescript', count: 1 },
    ]);
    // The same facet written in another case is answered under that name (not from the cache entry above).
    const lower = await kit.json('/entity-facets?facet=spec.type&filter=kind=component');
    const upper = await kit.json('/entity-facets?facet=Spec.Type&filter=kind=component');
    expect(Object.keys(upper.body.facets)).toEqual(['Spec.Type']);
    expect(upper.body.facets['Spec.Type']).toEqual(lower.body.facets['spec.type']);
    const post = await kit.json('/entity-facets', { method: 'POST', body: { facets: ['kind'], query: { 'spec.owner': 'team-a' } } });
    expect(post.body.facets.kind).toEqual([
      { value: 'Component', count: 2 },
      { value: 'API', count: 1 },
    ]);
  });

  it('reports unresolved relations as a warning status item', async () => {
    const e = (await kit.json('/entities/by-name/group/default/team-a')).body;
    expect(e.status).toBeUndefined();
    const c = (await kit.json('/entities/by-name/component/default/payments')).body;
    expect(c.status).toBeUndefined();
    const s = (await kit.json('/entities/by-name/api/default/payments-api')).body;
    expect(s.relations).toEqual([
      { type: 'apiProvidedBy', targetRef: 'component:default/payments' },
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
    ]);
  });

  describe('error paths', () => {
    const cases: Array<[string, string, JsonInit, number, string?]> = [
      ['malformed filter', '/entities?filter==x', {}, 400, 'has no key'],
      ['filter key with spaces', '/entities/by-query?filter=a b=c', {}, 400, 'whitespace'],
      ['bad limit', '/entities?limit=-1', {}, 400],
      ['bad order', '/entities?order=sideways:name', {}, 400, 'asc:<field>'],
      ['bad orderField', '/entities/by-query?orderField=metadata.name,up', {}, 400],
      ['malformed cursor', '/entities/by-query?cursor=bm90LWpzb24', {}, 400, 'Malformed cursor'],
      ['malformed after', '/entities?after=xyz', {}, 400],
      ['bad predicate', '/entities/by-query', { method: 'POST', body: { query: { kind: { $regex: 'x' } } } }, 400, '$regex'],
      ['predicate not an object', '/entities/by-query', { method: 'POST', body: { query: [] } }, 400],
      ['by-refs without refs', '/entities/by-refs', { method: 'POST', body: {} }, 400, 'entityRefs'],
      ['by-refs with non-strings', '/entities/by-refs', { method: 'POST', body: { entityRefs: [1] } }, 400],
      ['facets without facet', '/entity-facets', {}, 400],
      ['unknown entity', '/entities/by-name/component/default/nope', {}, 404, "No entity named 'nope'"],
      ['unknown uid', '/entities/by-uid/00000000-0000-0000-0000-000000000000', {}, 404],
      ['ancestry of unknown', '/entities/by-name/component/default/nope/ancestry', {}, 404],
      ['refresh of unknown', '/refresh', { method: 'POST', body: { entityRef: 'component:default/nope' } }, 404],
      ['refresh with bad ref', '/refresh', { method: 'POST', body: { entityRef: 'component:' } }, 400],
      ['refresh without body', '/refresh', { method: 'POST', body: {} }, 400],
      ['unknown location', '/locations/00000000-0000-0000-0000-000000000000', {}, 404],
      ['delete unknown location', '/locations/00000000-0000-0000-0000-000000000000', { method: 'DELETE' }, 404],
      ['location by unknown entity', '/locations/by-entity/component/default/nope', {}, 404],
      ['location with bad type', '/locations', { method: 'POST', body: { type: 'ftp', target: 'x' } }, 400],
      ['location with extra keys', '/locations', { method: 'POST', body: { type: 'url', target: 'https://example.com/a.yaml', extra: 1 } }, 400],
      ['location with bad URL', '/locations', { method: 'POST', body: { type: 'url', target: 'not a url' } }, 400],
      ['analyze non-URL', '/analyze-location', { method: 'POST', body: { location: { type: 'url', target: 'nope' } } }, 400, 'not a URL'],
      ['validate without entity', '/validate-entity', { method: 'POST', body: { location: 'url:https://x' } }, 400],
    ];
    it.each(cases)('%s → %i', async (_label, path, init, status, message) => {
      const res = await kit.json(path, init);
      expect(res.status).toBe(status);
      expect(res.body.error.name).toBe(status === 400 ? 'InputError' : 'NotFoundError');
      expect(res.body.response.statusCode).toBe(status);
      expect(res.body.request.url).toContain('/api/catalog/');
      if (message) expect(res.body.error.message).toContain(message);
    });
  });

  it('validates entities as Backstage does', async () => {
    const ok = await kit.json('/validate-entity', {
      method: 'POST',
      body: { entity: component('fine'), location: 'url:https://example.com/catalog-info.yaml' },
    });
    expect(ok.status).toBe(200);
    const bad = await kit.json('/validate-entity', {
      method: 'POST',
      body: {
        entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x y' }, spec: {} },
        location: 'url:https://example.com/c.yaml',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.length).toBeGreaterThan(0);
    expect(bad.body.errors[0]).toEqual(expect.objectContaining({ name: 'InputError', message: expect.any(String) }));
  });
});
