import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityDetail, DocsPage, DocsSite, NavNode } from '../common/index.js';
import { startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/techdocs');
const sites = fs.existsSync(corpus) ? fs.readdirSync(corpus).sort() : [];
const entityName = (site: string) => site.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 63);

function navPages(nodes: NavNode[]): Array<{ title: string; route: string }> {
  return nodes.flatMap((n) => (n.type === 'page' ? [n] : n.type === 'section' ? navPages(n.children) : []));
}

/** Entities whose techdocs-ref points (relatively, as `dir:`) at each real site of the corpus. */
function corpusCatalog(dir: string): string {
  return sites
    .map(
      (site) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${entityName(site)}
  annotations:
    backstage.io/techdocs-ref: dir:${path.relative(dir, path.join(corpus, site))}
spec:
  type: documentation
  lifecycle: production
  owner: corpus
`,
    )
    .join('---\n');
}

describe.each(testDatabaseKinds())('real docs sites on %s', (database) => {
  let kit: TechdocsTestkit;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-corpus-'));
    fs.writeFileSync(path.join(dir, 'corpus.yaml'), corpusCatalog(dir));
    kit = await startTechdocs(database, {
      dir,
      extraRoots: [corpus, repoRoot],
      catalogTargets: [path.join(dir, 'corpus.yaml'), path.join(repoRoot, 'catalog-examples/all.yaml')],
    });
  }, 180_000);
  afterAll(async () => {
    const dir = kit?.dir;
    await kit?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the corpus', () => {
    expect(sites.length).toBeGreaterThanOrEqual(4);
  });

  it.each(sites)('builds %s with every page and nav entry reachable', async (site) => {
    const name = entityName(site);
    const detail = await kit.waitForBuild({ kind: 'component', name }, 0, 120_000);
    expect(detail.build.status).toBe('ready');
    expect(detail.build.errorCount).toBe(0);

    const markdown = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdown(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
    const sourcePages = markdown(path.join(corpus, site, 'docs')).length;

    const { body: siteDoc } = await kit.api<DocsSite>(`/sites/default/component/${name}`);
    expect(siteDoc.pages).toHaveLength(sourcePages);
    const nav = navPages(siteDoc.nav);
    expect(nav.length).toBeGreaterThan(0);
    // Every page listed by the site, and every nav entry, is served.
    const routes = new Set(siteDoc.pages.map((p) => p.route));
    for (const entry of nav) expect(routes.has(entry.route), `nav "${entry.title}" → ${entry.route}`).toBe(true);
    const linked = new Set<string>([siteDoc.homeRoute, ...nav.map((n) => n.route)]);
    for (const p of siteDoc.pages) {
      const res = await kit.api<DocsPage>(`/sites/default/component/${name}/page?route=${encodeURIComponent(p.route)}`);
      expect(res.status, p.route).toBe(200);
      expect(res.body.html).not.toMatch(/<script|\son[a-z]+=/i);
      for (const m of res.body.html.matchAll(/data-docs-route="([^"]*)"/g)) linked.add(m[1]!);
    }
    // Reachable: from the home page and the nav, following nav entries and links.
    for (const p of siteDoc.pages) expect(linked.has(p.route), `page ${p.route} is reachable`).toBe(true);
  });

  it('reports the corpus oddities as warnings: the nav typo, omitted images and snippets', async () => {
    const qeta = await kit.api<DocsEntityDetail>(`/entities/default/component/${entityName('drodil__backstage-plugin-qeta')}`);
    expect(qeta.body.log.map((e) => e.message)).toContain('nav entry "Extensions" points to extensions.ms, which does not exist; using extensions.md instead');
    const terasky = await kit.api<DocsEntityDetail>(`/entities/default/component/${entityName('TeraSky-OSS__backstage-plugins')}`);
    expect(terasky.body.build.warningCount).toBeGreaterThan(0);
    expect(terasky.body.log.some((e) => e.message.startsWith('Missing image:'))).toBe(true);
  });

  it('builds the project\'s own docs as the TechDocs of the Atrium component, and the example services\' docs', async () => {
    for (const name of ['atrium', 'orders-service', 'tracking-service']) {
      const detail = await kit.waitForBuild({ kind: 'component', name }, 0, 120_000);
      expect(detail.build.status, name).toBe('ready');
      expect(detail.build.errorCount, `${name}: ${JSON.stringify(detail.log)}`).toBe(0);
    }
    const { body: site } = await kit.api<DocsSite>('/sites/default/component/atrium');
    const ownDocs = fs.readdirSync(path.join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'));
    expect(site.pages.length).toBeGreaterThanOrEqual(ownDocs.length);
    for (const entry of navPages(site.nav)) {
      expect((await kit.api(`/sites/default/component/atrium/page?route=${encodeURIComponent(entry.route)}`)).status, entry.route).toBe(200);
    }
  });
});
