import fs from 'node:fs';
import path from 'node:path';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityList, DocsPage, DocsSearchResponse, DocsSite } from '../common/index.js';
import { componentYaml, startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

// A 1x1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

const files = {
  'catalog-info.yaml': componentYaml('orders', 'dir:.', { title: 'Orders service', description: 'Takes orders' }),
  'mkdocs.yml': `site_name: Orders handbook
nav:
  - Home: index.md
  - Guides:
      - Runbook: guides/runbook.md
      - Deploying: guides/deploy.md
  - Upstream: https://example.com/upstream
`,
  'docs/index.md': `# Orders

Welcome. See the [runbook](guides/runbook.md#rolling-back) and ![diagram](img/flow.png).

## Architecture

The orders service stores carts in Postgres.
`,
  'docs/guides/runbook.md': `# Runbook

## Rolling back

Use the **rollback** pipeline; it restores the previous release.

## Paging

Escalate to the on-call engineer.
`,
  'docs/guides/deploy.md': `# Deploying

\`\`\`yaml
steps:
  - deploy: orders
\`\`\`
`,
  'docs/img/flow.png': PNG,
};

describe.each(testDatabaseKinds())('techdocs on %s', (database) => {
  let kit: TechdocsTestkit;
  beforeAll(async () => {
    kit = await startTechdocs(database, { files });
  });
  afterAll(async () => {
    await kit?.stop();
  });

  it('builds the docs of a catalog entity in the background', async () => {
    const detail = await kit.waitForBuild({ kind: 'component', name: 'orders' });
    expect(detail.build.status).toBe('ready');
    // The catalog may announce the entity more than once; a second build finds it unchanged.
    expect(['built', 'unchanged']).toContain(detail.build.lastResult);
    expect(detail.build.builtAt).not.toBeNull();
    expect(detail.build.lastBuildDurationMs).toBeGreaterThanOrEqual(0);
    expect(detail.build.errorCount).toBe(0);
    expect(detail.log.some((e) => e.message.startsWith('Built 3 page(s)'))).toBe(true);
    expect(detail.siteName).toBe('Orders handbook');
  });

  it('serves the site with its nav, and pages with TOC, prev/next and rewritten links', async () => {
    const site = await kit.api<DocsSite>('/sites/default/component/orders');
    expect(site.status).toBe(200);
    expect(site.body.siteName).toBe('Orders handbook');
    expect(site.body.nav).toEqual([
      { type: 'page', title: 'Home', route: '' },
      {
        type: 'section',
        title: 'Guides',
        children: [
          { type: 'page', title: 'Runbook', route: 'guides/runbook' },
          { type: 'page', title: 'Deploying', route: 'guides/deploy' },
        ],
      },
      { type: 'link', title: 'Upstream', url: 'https://example.com/upstream' },
    ]);
    const home = await kit.api<DocsPage>('/sites/default/component/orders/page?route=');
    expect(home.body.title).toBe('Orders');
    expect(home.body.toc).toEqual([{ level: 2, title: 'Architecture', anchor: 'architecture' }]);
    expect(home.body.html).toContain('href="/docs/default/component/orders/guides/runbook/#rolling-back"');
    expect(home.body.html).toContain('data-docs-route="guides/runbook"');
    expect(home.body.html).toContain('src="/api/techdocs/static/docs/default/component/orders/img/flow.png"');
    expect(home.body.prev).toBeNull();
    expect(home.body.next).toEqual({ route: 'guides/runbook', title: 'Runbook' });

    const deploy = await kit.api<DocsPage>('/sites/default/component/orders/page?route=guides/deploy/');
    expect(deploy.status).toBe(200);
    expect(deploy.body.prev).toEqual({ route: 'guides/runbook', title: 'Runbook' });
    expect(deploy.body.next).toBeNull();
    expect(deploy.body.html).toContain('class="shiki');
  });

  it('answers with ETags and 304s, and serves images', async () => {
    const first = await kit.backend.fetch('/api/techdocs/sites/default/component/orders/page?route=guides/runbook');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(first.headers.get('cache-control')).toContain('no-cache');
    const again = await kit.backend.fetch('/api/techdocs/sites/default/component/orders/page?route=guides/runbook', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const img = await kit.backend.fetch('/api/techdocs/static/docs/default/component/orders/img/flow.png');
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await kit.backend.fetch('/api/techdocs/static/docs/default/component/orders/../mkdocs.yml')).status).toBe(404);
    expect((await kit.api('/sites/default/component/orders/page?route=nope')).status).toBe(404);
  });

  it('lists documented entities for the docs home, filtered by owner and title', async () => {
    const all = await kit.api<DocsEntityList>('/entities');
    expect(all.body.items.map((i) => i.entityRef)).toEqual(['component:default/orders']);
    expect(all.body.items[0]!.owner).toBe('group:default/team-a');
    expect((await kit.api<DocsEntityList>('/entities?q=ORDERS')).body.totalItems).toBe(1);
    expect((await kit.api<DocsEntityList>('/entities?q=billing')).body.totalItems).toBe(0);
    expect((await kit.api<DocsEntityList>(`/entities?owner=${encodeURIComponent('group:default/team-a')}`)).body.totalItems).toBe(1);
    expect((await kit.api<DocsEntityList>('/entities?owner=nobody')).body.totalItems).toBe(0);
    expect((await kit.api('/owners')).body).toEqual({ items: [{ owner: 'group:default/team-a', count: 1 }] });
  });

  it('searches page sections with Postgres full-text search', async () => {
    const r = await kit.api<DocsSearchResponse>('/search?term=rollback%20pipel');
    expect(r.status).toBe(200);
    const hit = r.body.results[0]!;
    expect(hit).toMatchObject({
      entityRef: 'component:default/orders',
      route: 'guides/runbook',
      pageTitle: 'Runbook',
      anchor: 'rolling-back',
      heading: 'Rolling back',
      location: '/docs/default/component/orders/guides/runbook/#rolling-back',
    });
    expect(hit.snippet).toContain('<mark>rollback</mark>');
    const scoped = await kit.api<DocsSearchResponse>('/search?term=postgres&entity=component:default/orders');
    expect(scoped.body.results.map((x) => x.route)).toEqual(['']);
    expect((await kit.api<DocsSearchResponse>('/search?term=%3C%3E')).body.results).toEqual([]);
  });

  it('skips unchanged sources by hash, rebuilds changed ones, and forces on demand', async () => {
    let since = Date.now();
    expect((await kit.api('/builds/default/component/orders', { method: 'POST', body: {} })).status).toBe(202);
    let detail = await kit.waitForBuild({ kind: 'component', name: 'orders' }, since);
    expect(detail.build.lastResult).toBe('unchanged');
    expect(detail.build.status).toBe('ready');

    kit.write('docs/guides/deploy.md', '# Deploying\n\nNow with canaries.\n');
    since = Date.now();
    await kit.api('/builds/default/component/orders', { method: 'POST', body: {} });
    detail = await kit.waitForBuild({ kind: 'component', name: 'orders' }, since);
    expect(detail.build.lastResult).toBe('built');
    const page = await kit.api<DocsPage>('/sites/default/component/orders/page?route=guides/deploy');
    expect(page.body.html).toContain('Now with canaries.');

    since = Date.now();
    await kit.api('/builds/default/component/orders', { method: 'POST', body: { force: true } });
    detail = await kit.waitForBuild({ kind: 'component', name: 'orders' }, since);
    expect(detail.build.lastResult).toBe('built');
    expect((await kit.api('/builds/default/component/nothing', { method: 'POST', body: {} })).status).toBe(404);
  });

  it('follows catalog changes: a removed annotation removes the site', async () => {
    fs.writeFileSync(path.join(kit.dir, 'catalog-info.yaml'), componentYaml('orders', null));
    await kit.backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'component:default/orders' } });
    await kit.waitFor(async () => (await kit.api('/entities/default/component/orders')).status === 404);
    expect((await kit.api('/sites/default/component/orders')).status).toBe(404);
    expect((await kit.api<DocsSearchResponse>('/search?term=rollback')).body.results).toEqual([]);
  });
});
