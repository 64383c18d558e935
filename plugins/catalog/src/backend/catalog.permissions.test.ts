import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogServiceRef } from './catalogService.js';
import { catalogPlugin } from './plugin.js';
import { component, group, yamlDocs } from './testing/catalogTestkit.testing.js';

/** Read rules only: an entity's owners see it, and everyone signed in sees production Components. */
const POLICY = {
  rules: [
    { id: 'owners-read', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isEntityOwner: true } },
    { id: 'production-components', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { kind: 'component', lifecycle: 'production' } },
    { id: 'owners-refresh', effect: 'allow', permissions: ['catalog.entity.refresh'], conditions: { isEntityOwner: true } },
  ],
};

const user = (name: string, memberOf: string[]) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name }, spec: { memberOf } });

// c-00 … c-11 alternate between team-a and team-b, so hidden entities sit between visible ones in name order.
const numbered = Array.from({ length: 12 }, (_, i) =>
  component(`c-${String(i).padStart(2, '0')}`, { owner: i % 2 === 0 ? 'team-a' : 'team-b', lifecycle: 'experimental' }),
);
const ENTITIES = [
  group('team-a'),
  group('team-b'),
  user('jdoe', ['team-a']),
  user('asmith', ['team-b']),
  ...numbered,
  component('prod-b', { owner: 'team-b', lifecycle: 'production' }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'prod-api' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-b', definition: 'x' },
  },
];
const JDOE_SEES = ['c-00', 'c-02', 'c-04', 'c-06', 'c-08', 'c-10', 'prod-b'];
const ASMITH_SEES = ['c-01', 'c-03', 'c-05', 'c-07', 'c-09', 'c-11', 'prod-api', 'prod-b'];

type Page = { items: Array<{ kind: string; metadata: { name: string; uid: string } }>; totalItems?: number; pageInfo: { nextCursor?: string } };
type Facets = { facets: Record<string, Array<{ value: string; count: number }>> };

/** Reads server-sent events until `done` holds. */
async function readEvents(body: ReadableStream<Uint8Array>, done: (events: Array<{ event: string; data: { type?: string; entityRef?: string } }>) => boolean) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: { type?: string; entityRef?: string } }> = [];
  let buffer = '';
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) as { type?: string; entityRef?: string } });
    }
  }
  await reader.cancel();
  return events;
}

describe.each(testDatabaseKinds())('catalog reads under a catalog.entity.read policy (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  const as: Record<string, Record<string, string>> = {};
  const api = <T>(who: string, p: string, init: Omit<Parameters<TestBackend['json']>[1] & object, 'headers'> = {}) =>
    b.json<T>(`/api/catalog${p}`, { ...init, headers: as[who] ?? {} });
  const namesOf = (items: Array<{ metadata: { name: string } } | null | undefined>) => items.map((e) => e?.metadata.name ?? null);

  /** Every page of a by-query, following nextCursor: the names, each page's size and totalItems. */
  async function allPages(who: string, first: { get?: string; post?: Record<string, unknown> }) {
    const pages: Page[] = [];
    let cursor: string | undefined;
    do {
      const res = first.get
        ? await api<Page>(who, `/entities/by-query?${first.get}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
        : await api<Page>(who, '/entities/by-query', { method: 'POST', body: cursor ? { cursor, limit: first.post?.['limit'] } : first.post });
      expect(res.status).toBe(200);
      pages.push(res.body);
      cursor = res.body.pageInfo.nextCursor;
    } while (cursor && pages.length < 20);
    return { names: pages.flatMap((p) => namesOf(p.items)), sizes: pages.map((p) => p.items.length), totals: pages.map((p) => p.totalItems) };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-catalog-permissions-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), yamlDocs(...ENTITIES));
    b = await startTestBackend({
      database,
      plugins: [catalogPlugin],
      configDir: dir,
      config: {
        backend: { reading: { fileRoots: [dir] } },
        catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, locations: [{ type: 'file', target: './org.yaml' }] },
        permission: { policy: POLICY },
      },
    });
    // Real sessions through the host auth module; ownership (team-a / team-b) is resolved from the catalog per request.
    for (const name of ['jdoe', 'asmith']) as[name] = { cookie: `atrium_session=${(await b.backend.auth.sessions.create(`user:default/${name}`)).secret}` };
    const end = Date.now() + 60_000;
    while ((await api<Page>('asmith', '/entities/by-query?limit=1')).body.totalItems !== ASMITH_SEES.length) {
      if (Date.now() > end) throw new Error('the entities never reached the catalog');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("by-query (GET and POST): only visible entities, full pages across cursors, totals are the caller's", async () => {
    const get = await allPages('jdoe', { get: 'limit=2&orderField=metadata.name,asc' });
    expect(get.names).toEqual(JDOE_SEES);
    expect(get.sizes).toEqual([2, 2, 2, 1]);
    expect(new Set(get.totals)).toEqual(new Set([JDOE_SEES.length]));

    const post = await allPages('asmith', { post: { query: { kind: { $in: ['component', 'api'] } }, orderBy: [{ field: 'metadata.name' }], limit: 3 } });
    expect(post.names).toEqual(ASMITH_SEES);
    expect(post.sizes).toEqual([3, 3, 2]);
    expect(new Set(post.totals)).toEqual(new Set([ASMITH_SEES.length]));

    // A full-text filter and the caller's rights combine too.
    const text = await api<Page>('jdoe', '/entities/by-query?fullTextFilterTerm=c-0');
    expect(namesOf(text.body.items).sort()).toEqual(['c-00', 'c-02', 'c-04', 'c-06', 'c-08']);
    expect(text.body.totalItems).toBe(5);
  });

  it("a cursor carries no rights: handed to another caller it pages that caller's entities, with that caller's total", async () => {
    const first = await api<Page>('jdoe', '/entities/by-query?limit=2&orderField=metadata.name,asc');
    const cursor = first.body.pageInfo.nextCursor as string;
    const other = await api<Page>('asmith', `/entities/by-query?cursor=${encodeURIComponent(cursor)}`);
    expect(other.status).toBe(200);
    for (const name of namesOf(other.body.items)) expect(ASMITH_SEES).toContain(name);
    expect(other.body.totalItems).toBe(ASMITH_SEES.length);
  });

  it('facets (GET and POST) count only what the caller may read', async () => {
    const jdoe = await api<Facets>('jdoe', '/entity-facets?facet=kind&facet=spec.lifecycle');
    expect(jdoe.body.facets['kind']).toEqual([{ value: 'Component', count: JDOE_SEES.length }]);
    expect(jdoe.body.facets['spec.lifecycle']).toEqual([
      { value: 'experimental', count: 6 },
      { value: 'production', count: 1 },
    ]);
    const asmith = await api<Facets>('asmith', '/entity-facets', { method: 'POST', body: { facets: ['kind'], query: { 'spec.lifecycle': 'production' } } });
    expect(asmith.body.facets['kind']).toEqual([
      { value: 'API', count: 1 },
      { value: 'Component', count: 1 },
    ]);
    // The same request by the other caller is not answered from the first one's cached counts.
    const again = await api<Facets>('jdoe', '/entity-facets', { method: 'POST', body: { facets: ['kind'], query: { 'spec.lifecycle': 'production' } } });
    expect(again.body.facets['kind']).toEqual([{ value: 'Component', count: 1 }]);
  });

  it('by-refs answers null for a hidden entity, like a missing one', async () => {
    const res = await api<{ items: Array<{ metadata: { name: string } } | null> }>('jdoe', '/entities/by-refs', {
      method: 'POST',
      body: {
        entityRefs: [
          'component:default/c-00',
          'component:default/c-01',
          'component:default/prod-b',
          'user:default/jdoe',
          'api:default/prod-api',
          'component:default/nope',
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(namesOf(res.body.items)).toEqual(['c-00', null, 'prod-b', null, null, null]);
  });

  it('by-name, by-uid and the location by entity answer 404 for a hidden entity; the visible one is served', async () => {
    expect((await api('jdoe', '/entities/by-name/component/default/c-00')).status).toBe(200);
    const hidden = await api<{ error: { message: string } }>('jdoe', '/entities/by-name/component/default/c-01');
    const missing = await api<{ error: { message: string } }>('jdoe', '/entities/by-name/component/default/c-99');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body.error.message.replace('c-01', 'X')).toBe(missing.body.error.message.replace('c-99', 'X'));
    const c01 = await api<{ metadata: { uid: string } }>('asmith', '/entities/by-name/component/default/c-01');
    expect(c01.status).toBe(200);
    expect((await api('jdoe', `/entities/by-uid/${c01.body.metadata.uid}`)).status).toBe(404);
    expect((await api('asmith', `/entities/by-uid/${c01.body.metadata.uid}`)).status).toBe(200);
    // jdoe has no catalog.location.read here: 403 before anything about the entity is looked at.
    expect((await api('jdoe', '/locations/by-entity/component/default/c-01')).status).toBe(403);
  });

  it('refresh: 404 for a hidden entity, worded as for a missing one; 403 for a visible one the caller does not own', async () => {
    const refresh = (entityRef: string) => api<{ error?: { message: string } }>('jdoe', '/refresh', { method: 'POST', body: { entityRef } });
    const hidden = await refresh('component:default/c-01');
    const missing = await refresh('component:default/c-99');
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.error?.message.replace('c-01', 'X')).toBe(missing.body.error?.message.replace('c-99', 'X'));
    expect((await refresh('component:default/prod-b')).status).toBe(403);
    expect((await refresh('component:default/c-00')).status).toBe(200);
  });

  it('ancestry: 404 for a hidden entity; a visible one lists no hidden ancestor (its ref only, in parentEntityRefs)', async () => {
    expect((await api('jdoe', '/entities/by-name/component/default/c-01/ancestry')).status).toBe(404);
    const res = await api<{ items: Array<{ entity: { metadata: { name: string } }; parentEntityRefs: string[] }> }>(
      'jdoe',
      '/entities/by-name/component/default/c-00/ancestry',
    );
    expect(res.status).toBe(200);
    // The Location entities that led to c-00 are nobody's: hidden under this policy.
    expect(res.body.items.map((i) => i.entity.metadata.name)).toEqual(['c-00']);
    expect(res.body.items[0]?.parentEntityRefs).toHaveLength(1);
    expect(res.body.items[0]?.parentEntityRefs[0]).toMatch(/^location:/);
  });

  it('GET /entities (streamed and paged) lists only visible entities', async () => {
    const all = await api<Array<{ metadata: { name: string } }>>('jdoe', '/entities');
    expect(namesOf(all.body).sort()).toEqual(JDOE_SEES);
    const filtered = await api<Array<{ metadata: { name: string } }>>('asmith', '/entities?filter=spec.lifecycle=production');
    expect(namesOf(filtered.body).sort()).toEqual(['prod-api', 'prod-b']);
    const paged = await api<Array<{ metadata: { name: string } }>>('jdoe', '/entities?limit=3&order=asc:metadata.name');
    expect(namesOf(paged.body)).toEqual(JDOE_SEES.slice(0, 3));
  });

  it('a caller with no read rule (the guest) gets 403 on lists and single reads', async () => {
    expect((await api('guest', '/entities/by-query')).status).toBe(403);
    expect((await api('guest', '/entity-facets?facet=kind')).status).toBe(403);
    expect((await api('guest', '/entities/by-name/component/default/prod-b')).status).toBe(403);
  });

  it("CatalogService reads with a caller are filtered like the routes; without one they are the backend's own", async () => {
    const catalog = b.backend.service(catalogServiceRef);
    const jdoe = {
      type: 'user' as const,
      userEntityRef: 'user:default/jdoe',
      ownershipEntityRefs: ['user:default/jdoe', 'group:default/team-a'],
      displayName: 'jdoe',
    };
    const nobody = { type: 'user' as const, userEntityRef: 'user:default/nobody', ownershipEntityRefs: ['user:default/nobody'], displayName: 'nobody' };
    const kinds = { filter: { kind: ['component', 'api'] } };
    expect(namesOf((await catalog.getEntities({ ...kinds, caller: jdoe })).items).sort()).toEqual(JDOE_SEES);
    expect((await catalog.getEntities(kinds)).items.length).toBeGreaterThan(JDOE_SEES.length);
    const page = await catalog.queryEntities({ ...kinds, caller: jdoe, limit: 3, orderFields: { field: 'metadata.name', order: 'asc' } });
    expect(page.totalItems).toBe(JDOE_SEES.length);
    expect(namesOf(page.items)).toEqual(JDOE_SEES.slice(0, 3));
    const next = await catalog.queryEntities({ cursor: page.pageInfo.nextCursor as string, limit: 3, caller: jdoe });
    expect(namesOf(next.items)).toEqual(JDOE_SEES.slice(3, 6));
    expect((await catalog.getEntityFacets({ facets: ['kind'], caller: jdoe })).facets['kind']).toEqual([{ value: 'Component', count: JDOE_SEES.length }]);
    expect(namesOf(await catalog.getEntitiesByRefs(['component:default/c-00', 'component:default/c-01', 'api:default/prod-api'], { caller: jdoe }))).toEqual([
      'c-00',
      null,
      null,
    ]);
    // Someone who owns nothing sees only the production Components.
    expect(namesOf((await catalog.getEntities({ caller: nobody })).items)).toEqual(['prod-b']);
    expect((await catalog.getEntityFacets({ facets: ['kind'], caller: nobody })).facets['kind']).toEqual([{ value: 'Component', count: 1 }]);
  });

  it('the event stream sends only events of entities the caller may read', async () => {
    const res = await b.fetch('/api/catalog/events', { headers: as['jdoe'] ?? {} });
    expect(res.status).toBe(200);
    const seen = readEvents(res.body as ReadableStream<Uint8Array>, (events) => events.some((e) => e.data.entityRef === 'component:default/new-c'));
    // Two new entities, one for each team (registered in process, as the backend itself would);
    // once the hidden one is stored, a visible sentinel follows it on the same bus.
    const catalog = b.backend.service(catalogServiceRef);
    fs.writeFileSync(
      path.join(dir, 'new.yaml'),
      yamlDocs(component('new-a', { owner: 'team-a', lifecycle: 'experimental' }), component('new-b', { owner: 'team-b', lifecycle: 'experimental' })),
    );
    await catalog.addLocation({ type: 'file', target: path.join(dir, 'new.yaml') });
    const end = Date.now() + 30_000;
    while ((await api('asmith', '/entities/by-name/component/default/new-b')).status !== 200) {
      if (Date.now() > end) throw new Error('new-b never reached the catalog');
      await new Promise((r) => setTimeout(r, 100));
    }
    fs.writeFileSync(path.join(dir, 'sentinel.yaml'), yamlDocs(component('new-c', { owner: 'team-a', lifecycle: 'experimental' })));
    await catalog.addLocation({ type: 'file', target: path.join(dir, 'sentinel.yaml') });
    const refs = (await seen).filter((e) => e.event === 'entity').map((e) => e.data.entityRef);
    expect(refs).toContain('component:default/new-a');
    expect(refs).not.toContain('component:default/new-b');
    for (const ref of refs) expect(ref).toMatch(/^component:default\/(c-(00|02|04|06|08|10)|prod-b|new-a|new-c)$/);
  }, 60_000);
});
