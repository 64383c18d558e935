import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityDetail, DocsPage, DocsSite, NavNode } from '../common/index.js';
import { startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
// Real mkdocs sites, beside the checkout in CI only. A fresh clone does not have them: those
// tests are skipped (saying so), and the shipped sample site below covers the same checks.
const corpus = path.resolve(repoRoot, '../shared/corpus/techdocs');
const corpusPresent = fs.existsSync(corpus);
if (!corpusPresent) {
  console.warn(`[techdocs] skipping the real-site corpus tests: ${corpus} is absent (the shipped testing/sample-site covers the same checks)`);
}
const sites = corpusPresent ? fs.readdirSync(corpus).sort() : [];
const sampleSite = path.join(import.meta.dirname, 'testing/sample-site');
const entityName = (site: string) =>
  site
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 63);

function navPages(nodes: NavNode[]): Array<{ title: string; route: string }> {
  return nodes.flatMap((n) => (n.type === 'page' ? [n] : n.type === 'section' ? navPages(n.children) : []));
}

/** Entities whose techdocs-ref points (relatively, as `dir:`) at each site. */
function docsCatalog(dir: string, siteDirs: Array<[name: string, siteDir: string]>): string {
  return siteDirs
    .map(
      ([name, siteDir]) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    backstage.io/techdocs-ref: dir:${path.relative(dir, siteDir)}
spec:
  type: documentation
  lifecycle: production
  owner: corpus
`,
    )
    .join('---\n');
}

/**
 * The site built without errors, has one page per Markdown file, serves every page and nav entry
 * with no script or event handler left, and every page is reachable from the home page and the
 * nav by following nav entries and links.
 */
async function expectCompleteSite(kit: TechdocsTestkit, name: string, siteDir: string): Promise<DocsSite> {
  const detail = await kit.waitForBuild({ kind: 'component', name }, 0, 120_000);
  expect(detail.build.status).toBe('ready');
  expect(detail.build.errorCount, JSON.stringify(detail.log.filter((e) => e.level === 'error'))).toBe(0);

  const markdown = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? markdown(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
  const sourcePages = markdown(path.join(siteDir, 'docs')).length;

  const { body: site } = await kit.api<DocsSite>(`/sites/default/component/${name}`);
  expect(site.pages).toHaveLength(sourcePages);
  const nav = navPages(site.nav);
  expect(nav.length).toBeGreaterThan(0);
  const routes = new Set(site.pages.map((p) => p.route));
  for (const entry of nav) expect(routes.has(entry.route), `nav "${entry.title}" → ${entry.route}`).toBe(true);
  const linked = new Set<string>([site.homeRoute, ...nav.map((n) => n.route)]);
  for (const p of site.pages) {
    const res = await kit.api<DocsPage>(`/sites/default/component/${name}/page?route=${encodeURIComponent(p.route)}`);
    expect(res.status, p.route).toBe(200);
    expect(res.body.html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    for (const m of res.body.html.matchAll(/data-docs-route="([^"]*)"/g)) linked.add(m[1]!);
  }
  for (const p of site.pages) expect(linked.has(p.route), `page ${p.route} is reachable`).toBe(true);
  return site;
}

describe.each(testDatabaseKinds())('docs sites on %s', (database) => {
  let kit: TechdocsTestkit;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-corpus-'));
    const siteDirs: Array<[string, string]> = [['sample-handbook', sampleSite], ...sites.map((s): [string, string] => [entityName(s), path.join(corpus, s)])];
    fs.writeFileSync(path.join(dir, 'corpus.yaml'), docsCatalog(dir, siteDirs));
    kit = await startTechdocs(database, {
      dir,
      extraRoots: [...(corpusPresent ? [corpus] : []), repoRoot],
      catalogTargets: [path.join(dir, 'corpus.yaml'), path.join(repoRoot, 'catalog-examples/all.yaml')],
    });
  }, 180_000);
  afterAll(async () => {
    const dir = kit?.dir;
    await kit?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the shipped sample site', () => {
    it('builds with every page and nav entry reachable, hostile HTML removed', async () => {
      const site = await expectCompleteSite(kit, 'sample-handbook', sampleSite);
      expect(site.siteName).toBe('Sample handbook');
      // Nested sections, a folder README as its index, numbered pages, and an external nav link.
      expect(navPages(site.nav).map((p) => p.route)).toEqual([
        '',
        'setup',
        'extending',
        'guide',
        'guide/deploying/01-first',
        'guide/deploying/02-rollback',
        'reference/config',
      ]);
      const home = await kit.api<DocsPage>('/sites/default/component/sample-handbook/page?route=');
      expect(home.body.html).toContain('Getting help'); // the snippet from outside docs/
      expect(home.body.html).toContain('/api/techdocs/static/docs/default/component/sample-handbook/img/overview.png');
      expect(home.body.html).toMatch(/data-docs-route="reference\/config"[^>]*data-docs-anchor="settings"/);
    });

    it('reports the oddities as warnings: the nav typo, a missing image, removed HTML', async () => {
      const { body } = await kit.api<DocsEntityDetail>('/entities/default/component/sample-handbook');
      const messages = body.log.map((e) => e.message);
      expect(messages).toContain('nav entry "Extending" points to extending.ms, which does not exist; using extending.md instead');
      expect(messages).toContain('Missing image: img/architecture.png');
      expect(messages.some((m) => m.startsWith('Unsafe HTML: removed a <script> element'))).toBe(true);
      expect(body.build.warningCount).toBeGreaterThanOrEqual(3);
    });
  });

  describe.skipIf(!corpusPresent)(corpusPresent ? 'real sites of the corpus' : `real sites of the corpus (skipped: ${corpus} is absent)`, () => {
    it('finds the corpus', () => {
      expect(sites.length).toBeGreaterThanOrEqual(4);
    });

    it.each(sites)('builds %s with every page and nav entry reachable', async (site) => {
      await expectCompleteSite(kit, entityName(site), path.join(corpus, site));
    });

    it('reports the corpus oddities as warnings: the nav typo, omitted images and snippets', async () => {
      const qeta = await kit.api<DocsEntityDetail>(`/entities/default/component/${entityName('drodil__backstage-plugin-qeta')}`);
      expect(qeta.body.log.map((e) => e.message)).toContain(
        'nav entry "Extensions" points to extensions.ms, which does not exist; using extensions.md instead',
      );
      const terasky = await kit.api<DocsEntityDetail>(`/entities/default/component/${entityName('TeraSky-OSS__backstage-plugins')}`);
      expect(terasky.body.build.warningCount).toBeGreaterThan(0);
      expect(terasky.body.log.some((e) => e.message.startsWith('Missing image:'))).toBe(true);
    });
  });

  it("builds the project's own docs as the TechDocs of the Atrium component, and the example services' docs", async () => {
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
