import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { techdocsPlugin } from '@atrium/plugin-techdocs/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQueryResponse, SearchStatusResponse } from '../common/index.js';
import { searchPlugin, searchServiceRef } from './plugin.js';
import { RELEVANCE_SET } from './relevance.fixture.js';

const examples = path.resolve(import.meta.dirname, '../../../../catalog-examples/all.yaml');

describe.each(testDatabaseKinds())('search on %s', (database) => {
  let t: TestBackend;
  let dir: string;
  const search = (qs: string) => t.json<SearchQueryResponse & { error?: { message: string } }>(`/api/search/query?${qs}`);

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atrium-search-'));
    await fs.writeFile(
      path.join(dir, 'extra.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: freshness-probe, description: first words }\nspec: { type: service, owner: payments-team, lifecycle: experimental }\n',
    );
    await fs.writeFile(
      path.join(dir, 'hidden.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: quokka-vault, tags: [hidden-by-policy], description: quokka secrets }\nspec: { type: service, owner: payments-team, lifecycle: production }\n',
    );
    t = await startTestBackend({
      plugins: [catalogPlugin, techdocsPlugin, searchPlugin],
      database,
      config: {
        catalog: {
          locations: [examples, path.join(dir, 'extra.yaml'), path.join(dir, 'hidden.yaml')].map((target) => ({ type: 'file', target })),
          processingPollMs: 100,
          readers: { fileRoots: [path.dirname(examples), dir] },
        },
        // Everything is allowed except reading entities tagged hidden-by-policy: search must filter them in SQL.
        permission: {
          policy: {
            rules: [
              { effect: 'allow', permissions: ['search.*', 'catalog.*'], subjects: ['guest'] },
              { effect: 'deny', permissions: ['catalog.entity.read'], subjects: ['guest'], conditions: { hasTag: 'hidden-by-policy' } },
            ],
          },
        },
      },
    });
    await waitFor(async () => (await search('term=payments-service')).body.results?.some((r) => r.document.name === 'payments-service') ?? false, {
      timeoutMs: 60_000,
    });
    await t.backend.service(searchServiceRef).idle();
    await waitFor(async () => (await search('types=templates')).body.numberOfResults >= 2, { timeoutMs: 30_000 });
    // The example docs sites (orders-service, tracking-service) are built and indexed page by page.
    await waitFor(async () => (await search('types=techdocs')).body.numberOfResults >= 5, { timeoutMs: 90_000, message: 'docs pages indexed' });
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each(RELEVANCE_SET)('relevance: "$term" → $expect in the top 3', async ({ term, types, expect: expected }) => {
    const qs = `term=${encodeURIComponent(term)}${(types ?? []).map((x) => `&types=${x}`).join('')}`;
    const { status, body } = await search(qs);
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
    const top = body.results.slice(0, 3).map((r) => `${r.type}:${r.type === 'techdocs' ? r.document.location : r.document.entityRef}`);
    expect(top, JSON.stringify(body.results.slice(0, 5).map((r) => [r.document.title, r.rank]))).toContain(expected);
  });

  it('answers the Backstage shape with facets, safe highlights and a suggestion', async () => {
    const { body } = await search('term=paymnt');
    expect(body.results[0]!.document.location).toMatch(/^\/catalog\/default\/(component|api|resource|system)\//);
    expect(body.facets.type.length).toBeGreaterThan(0);
    expect(body.suggestion).toMatch(/payment/);
    const typed = await search('term=pay&types=software-catalog&filters[kind]=Component&filters[owner]=group:default/payments-team');
    expect(typed.status).toBe(200);
    expect(typed.body.results.length).toBeGreaterThan(0);
    for (const r of typed.body.results) {
      expect(r.document.kind).toBe('Component');
      expect(r.document.owner).toBe('group:default/payments-team');
      expect(r.highlight.preTag).toBe('<mark>');
      for (const html of Object.values(r.highlight.fields)) expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
    expect(typed.body.facets.kind).toEqual([{ value: 'Component', count: typed.body.numberOfResults }]);
  });

  it('pages with cursors tied to their query', async () => {
    const first = await search('term=service&pageLimit=2');
    expect(first.body.results).toHaveLength(2);
    const cursor = first.body.nextPageCursor!;
    const second = await search(`term=service&pageLimit=2&pageCursor=${cursor}`);
    expect(second.status).toBe(200);
    expect(second.body.results[0]!.document.location).not.toBe(first.body.results[0]!.document.location);
    expect(second.body.previousPageCursor).toBeDefined();
    const foreign = await search(`term=orders&pageLimit=2&pageCursor=${cursor}`);
    expect(foreign.status).toBe(400);
    expect((await search('term=x&pageCursor=garbage')).status).toBe(400);
  });

  it('survives bad input', async () => {
    for (const term of ['', "'; drop table documents; --", '&|!():*<>', '"unbalanced', "it's", '\\', '%_%', 'a'.repeat(10_240), 'x '.repeat(3000)]) {
      const r = await search(`term=${encodeURIComponent(term)}`);
      expect(r.status, term.slice(0, 30)).toBe(200);
      expect(Array.isArray(r.body.results)).toBe(true);
    }
    const unknownType = await search('term=x&types=nope');
    expect(unknownType.status).toBe(400);
    expect(unknownType.body.error?.message ?? JSON.stringify(unknownType.body)).toMatch(/software-catalog/);
    const unknownFilter = await search('term=x&filters[colour]=red');
    expect(unknownFilter.status).toBe(400);
    expect(JSON.stringify(unknownFilter.body)).toMatch(/kind, owner, lifecycle/);
    expect((await search('term=x&bogus=1')).status).toBe(400);
    expect((await search('term=x&pageLimit=0')).status).toBe(400);
    // The table is still there.
    expect((await search('term=payments')).body.numberOfResults).toBeGreaterThan(0);
  });

  it("finds names starting with a last word too short to be a prefix in the text index (the palette's first keys)", async () => {
    // `p` and `payments s` are what a person has typed on the way to payments-service: the short last
    // word is a whole word in the tsquery, and the names starting with the words come from the name index.
    const one = await search('term=p&types=software-catalog&pageLimit=25');
    expect(one.status).toBe(200);
    const names = one.body.results.map((r) => r.document.name);
    expect(names).toContain('payments-service');
    expect(names.filter((n) => !n?.startsWith('p'))).toEqual([]);
    const two = await search('term=payments%20s');
    expect(two.body.results.slice(0, 3).map((r) => r.document.entityRef)).toContain('component:default/payments-service');
    // The short word is the start of a word of the name or title, not any "s" (a possessive's) in the text.
    const startsWithS = /(^|[^\p{L}\p{N}])s/iu;
    for (const r of two.body.results) expect(startsWithS.test(r.document.title) || startsWithS.test(r.document.name ?? ''), r.document.title).toBe(true);
    // The name branch filters by what the caller may read like every other branch.
    const hidden = await search('term=q');
    expect(hidden.body.results.map((r) => r.document.name)).not.toContain('quokka-vault');
    expect(hidden.body.facets.tags.map((f) => f.value)).not.toContain('hidden-by-policy');
  });

  it('never returns nor counts what the caller may not read', async () => {
    const catalog = t.backend.service(catalogServiceRef);
    await waitFor(async () => (await catalog.getEntityByRef('component:default/quokka-vault')) !== undefined, { timeoutMs: 20_000 });
    await t.backend.service(searchServiceRef).idle();
    const hidden = await search('term=quokka');
    expect(hidden.status).toBe(200);
    expect(hidden.body.results).toEqual([]);
    expect(hidden.body.numberOfResults).toBe(0);
    const all = await search('pageLimit=100&filters[owner]=group:default/payments-team');
    expect(all.body.results.map((r) => r.document.name)).not.toContain('quokka-vault');
    expect(all.body.facets.tags.map((f) => f.value)).not.toContain('hidden-by-policy');
    expect(all.body.facets.owner).toEqual([{ value: 'group:default/payments-team', count: all.body.numberOfResults }]);
  });

  it('escapes highlights', async () => {
    const { highlight } = await import('./text.js');
    expect(highlight('<script>pay</script> & payments "x"', ['pay']).html).toBe(
      '&lt;script&gt;<mark>pay</mark>&lt;/script&gt; &amp; <mark>payments</mark> &quot;x&quot;',
    );
  });

  it('follows catalog changes (an edited descriptor is searchable)', async () => {
    expect((await search('term=zebracorn')).body.numberOfResults).toBe(0);
    await fs.writeFile(
      path.join(dir, 'extra.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: freshness-probe, description: the zebracorn stable }\nspec: { type: service, owner: payments-team, lifecycle: experimental }\n',
    );
    const catalog = t.backend.service(catalogServiceRef);
    const locations = await t.json<Array<{ data: { id: string; target: string } }>>('/api/catalog/locations');
    const loc = locations.body.find((l) => l.data.target.endsWith('extra.yaml'))!;
    await catalog.refreshLocation(loc.data.id);
    const hit = await waitFor(async () => (await search('term=zebracorn')).body.results[0] ?? false, { timeoutMs: 10_000 });
    expect(hit.document.name).toBe('freshness-probe');
    expect(hit.highlight.fields.text).toContain('<mark>zebracorn</mark>');
  });

  it('reports status and rebuilds on request (audited route)', async () => {
    const status = await t.json<SearchStatusResponse>('/api/search/status');
    expect(status.body.types.map((x) => x.type)).toEqual(['software-catalog', 'techdocs', 'templates']);
    expect(status.body.types.every((x) => x.state === 'ready' && x.documents > 0)).toBe(true);
    const r = await t.json('/api/search/rebuild', { method: 'POST', body: { types: ['templates'] } });
    expect(r.status).toBe(202);
    await t.backend.service(searchServiceRef).idle();
    expect((await search('term=node.js&types=templates')).body.numberOfResults).toBeGreaterThan(0);
    expect((await t.json('/api/search/rebuild', { method: 'POST', body: { types: ['nope'] } })).status).toBe(400);
  });
});
