import { describe, expect, it } from 'vitest';
import { memoryTree } from '../testing/memoryTree.testing.js';
import { buildSite, type BuildSiteInput } from './buildSite.js';
import type { BuildResult } from './types.js';

const triplet = { namespace: 'default', kind: 'component', name: 'svc' };

async function build(files: Record<string, string | Buffer>, extra: Partial<BuildSiteInput> = {}): Promise<BuildResult> {
  return buildSite({ tree: memoryTree(files), triplet, entityTitle: 'Svc title', ...extra });
}
const messages = (r: BuildResult, level?: string) => r.log.filter((e) => !level || e.level === level).map((e) => e.message);
const page = (r: BuildResult, route: string) => r.site!.pages.find((p) => p.route === route)!;

describe('buildSite', () => {
  it('builds with defaults and a nav from the files when mkdocs.yml is missing', async () => {
    const r = await build({
      'docs/index.md': '# Welcome\n',
      'docs/b-page.md': '# Bee\n',
      'docs/a-page.md': 'No heading here\n',
      'docs/guide/index.md': '# Guide\n',
      'docs/guide/step-two.md': '# Step two\n',
      'docs/ref/README.md': '# Reference\n',
    });
    expect(r.outcome).toBe('built');
    expect(messages(r, 'warning')).toContain('No mkdocs.yml found; using defaults (docs_dir: docs, site named after the entity)');
    expect(r.site!.siteName).toBe('Svc title');
    expect(r.site!.nav).toEqual([
      { type: 'page', title: 'Welcome', route: '' },
      { type: 'page', title: 'A page', route: 'a-page' },
      { type: 'page', title: 'Bee', route: 'b-page' },
      {
        type: 'section',
        title: 'Guide',
        children: [
          { type: 'page', title: 'Guide', route: 'guide' },
          { type: 'page', title: 'Step two', route: 'guide/step-two' },
        ],
      },
      { type: 'section', title: 'Ref', children: [{ type: 'page', title: 'Reference', route: 'ref' }] },
    ]);
    expect(page(r, 'a-page').prev).toEqual({ route: '', title: 'Welcome' });
    expect(page(r, 'ref').next).toBeNull();
  });

  it('fails with an error, not a crash, when there are no docs at all', async () => {
    const r = await build({ 'README.md': '# Not docs\n' });
    expect(r.outcome).toBe('failed');
    expect(messages(r, 'error')[0]).toMatch(/No Markdown files in docs/);
    const empty = await build({ 'mkdocs.yml': 'site_name: x\ndocs_dir: documentation\n' });
    expect(messages(empty, 'error')[0]).toMatch(/No Markdown files in documentation \(docs_dir of mkdocs.yml\)/);
  });

  it('reads mkdocs.yml: site_name, docs_dir, nested nav with external links and unknown tags', async () => {
    const r = await build({
      'mkdocs.yml': `site_name: My Site
docs_dir: content
repo_url: https://github.com/acme/svc
edit_uri: edit/main/content/
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
nav:
  - index.md
  - Section:
      - Deep:
          - Page: sub/page.md
      - Site: https://example.com
  - Missing: gone.md
  - Typo: other.mdx
`,
      'content/index.md': '# Home page\n',
      'content/sub/page.md': '---\ntitle: From front matter\n---\n# Heading title\n',
      'content/other.md': '# Other\n',
    });
    expect(r.outcome).toBe('built');
    expect(r.site!.siteName).toBe('My Site');
    expect(r.site!.nav).toEqual([
      { type: 'page', title: 'Home page', route: '' },
      {
        type: 'section',
        title: 'Section',
        children: [
          { type: 'section', title: 'Deep', children: [{ type: 'page', title: 'Page', route: 'sub/page' }] },
          { type: 'link', title: 'Site', url: 'https://example.com' },
        ],
      },
      { type: 'page', title: 'Typo', route: 'other' },
    ]);
    expect(messages(r, 'warning')).toEqual(
      expect.arrayContaining([
        'nav entry "Missing" points to gone.md, which does not exist in the docs folder; left out',
        'nav entry "Typo" points to other.mdx, which does not exist; using other.md instead',
      ]),
    );
    expect(page(r, 'sub/page').title).toBe('From front matter');
    expect(page(r, 'sub/page').editUrl).toBe('https://github.com/acme/svc/edit/main/content/sub/page.md');
  });

  it('reports nav entries and links to missing pages, and images that are missing or outside the docs folder', async () => {
    const r = await build({
      'mkdocs.yml': 'site_name: s\n',
      'docs/index.md': [
        '# Home',
        '[ok](guide/)  [ok2](guide.html) [abs](/guide.md#x) [gone](nope.md) [up](../mkdocs.yml) [deep](../../../etc/passwd)',
        '![a](img/there.png) ![b](img/missing.png) ![c](../../secret.png) <img src="../private/key.png">',
        '[file](files/data.csv)',
      ].join('\n\n'),
      'docs/guide.md': '# Guide\n\n## X\n',
      'docs/img/there.png': Buffer.from([1, 2, 3]),
      'docs/files/data.csv': 'a,b\n',
      'private/key.png': 'secret',
    });
    const home = page(r, '');
    expect(home.html).toContain('<a href="/docs/default/component/svc/guide/" data-docs-route="guide">ok</a>');
    expect(home.html).toContain('<a href="/docs/default/component/svc/guide/" data-docs-route="guide">ok2</a>');
    expect(home.html).toContain('<a href="/docs/default/component/svc/guide/#x" data-docs-route="guide" data-docs-anchor="x">abs</a>');
    expect(home.html).toContain('<a class="broken-link">gone</a>');
    expect(home.html).toContain('<a class="broken-link">up</a>');
    expect(home.html).toContain('src="/api/techdocs/static/docs/default/component/svc/img/there.png"');
    expect(home.html).toContain('<img alt="b" loading="lazy" />');
    expect(home.html).not.toContain('secret');
    expect(home.html).not.toContain('private');
    expect(home.html).toContain('href="/api/techdocs/static/docs/default/component/svc/files/data.csv"');
    expect(messages(r, 'warning')).toEqual(
      expect.arrayContaining([
        'Broken link: nope.md (no such page or file)',
        'Link to ../mkdocs.yml points outside the docs folder',
        'Link to ../../../etc/passwd points outside the docs folder',
        'Missing image: img/missing.png',
        'Image path ../../secret.png points outside the docs folder; removed',
        'Image path ../private/key.png points outside the docs folder; removed',
      ]),
    );
    expect(r.log.find((e) => e.message.startsWith('Broken link'))!.file).toBe('docs/index.md');
    expect(r.site!.assets.map((a) => [a.path, a.contentType])).toEqual([
      ['files/data.csv', 'text/csv; charset=utf-8'],
      ['img/there.png', 'image/png'],
    ]);
  });

  it('turns hostile pages into safe HTML and log warnings', async () => {
    const r = await build({
      'docs/index.md':
        '# Hi\n\n<script>fetch("/steal")</script>\n\n<img src="x.png" onerror="alert(1)">\n\n[click](javascript:alert(1)) <a href="javascript:alert(2)">raw</a>\n',
    });
    expect(r.outcome).toBe('built');
    const html = page(r, '').html;
    expect(html).not.toMatch(/<script|onerror|href="javascript:/i);
    expect(r.log.filter((e) => e.file === 'docs/index.md').map((e) => e.message)).toEqual(
      expect.arrayContaining([
        'Unsafe HTML: removed a <script> element',
        'Unsafe HTML: removed an event handler attribute (onerror=)',
        'Unsafe HTML: removed a javascript: URL',
        'Unsafe link removed: javascript:alert(1)',
        'Missing image: x.png',
      ]),
    );
  });

  it('refuses a page over the size limit with an error entry and keeps building the rest', async () => {
    const huge = `# Huge\n\n${'lorem ipsum dolor sit amet '.repeat(800_000)}`; // ~21 MB
    const r = await build({ 'docs/index.md': '# Home\n\n[huge](huge.md)\n', 'docs/huge.md': huge });
    expect(huge.length).toBeGreaterThan(20 * 1024 * 1024);
    expect(r.outcome).toBe('built');
    expect(r.site!.pages).toHaveLength(2);
    const entry = r.log.find((e) => e.level === 'error')!;
    expect(entry.file).toBe('docs/huge.md');
    expect(entry.message).toMatch(/Page too large to render: docs\/huge.md is 2\d\.\d MB, over the 2.0 MB limit/);
    expect(page(r, 'huge').html).toContain('This page could not be built');
    expect(page(r, '').html).toContain('data-docs-route="huge"');
  });

  it('fails a page over its render time budget alone, with the budget named in the log', async () => {
    const heavy = '## Heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n'.repeat(45_000); // ~2 MB: seconds of work
    const r = await build({ 'docs/index.md': '# Home\n', 'docs/heavy.md': heavy }, { limits: { pageRenderMs: 1000 } });
    expect(r.outcome).toBe('built');
    expect(r.log).toContainEqual({
      level: 'error',
      file: 'docs/heavy.md',
      message:
        'Page not rendered: rendering took longer than 1 s, so it was stopped (budget: techdocs.builder.pageRenderTimeoutSeconds); simplify the page or split it',
    });
    expect(page(r, 'heavy').html).toContain('This page could not be rendered: rendering took longer than 1 s');
    expect(page(r, '').html).toContain('Home');
  });

  it('fails cleanly on a broken mkdocs.yml or a docs_dir outside the repository', async () => {
    const bad = await build({ 'mkdocs.yml': 'site_name: [unclosed\n', 'docs/index.md': '# x' });
    expect(bad.outcome).toBe('failed');
    expect(messages(bad, 'error')[0]).toMatch(/^mkdocs.yml is not valid YAML/);
    const escape = await build({ 'mkdocs.yml': 'docs_dir: ../../etc\n', 'docs/index.md': '# x' });
    expect(escape.outcome).toBe('failed');
    expect(messages(escape, 'error')[0]).toMatch(/docs_dir "..\/..\/etc" points outside the repository/);
  });

  it('prefers mkdocs.yaml over mkdocs.yml with a warning', async () => {
    const r = await build({ 'mkdocs.yaml': 'site_name: yaml\n', 'mkdocs.yml': 'site_name: yml\n', 'docs/index.md': '# x' });
    expect(r.site!.siteName).toBe('yaml');
    expect(messages(r, 'warning')).toContain('Both mkdocs.yaml and mkdocs.yml exist; using mkdocs.yaml');
  });

  it('includes pymdownx snippets from inside the source only', async () => {
    const r = await build({
      'docs/index.md': '# Snips\n\n```python\n--8<-- "src/app.py"\n```\n\n--8<-- "../outside.md"\n',
      'src/app.py': 'print("included")\n',
    });
    expect(page(r, '').html).toContain('included');
    expect(messages(r, 'warning')).toContain('Snippet "../outside.md" was not found');
  });

  it('skips unchanged sources by content hash or revision, unless forced', async () => {
    const files = { 'docs/index.md': '# One\n' };
    const first = await build(files);
    expect(first.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    const again = await build(files, { previousHash: first.sourceHash });
    expect(again.outcome).toBe('unchanged');
    expect(again.site).toBeUndefined();
    expect((await build({ 'docs/index.md': '# Two\n' }, { previousHash: first.sourceHash })).outcome).toBe('built');
    expect((await build(files, { previousHash: first.sourceHash, force: true })).outcome).toBe('built');

    const rev = (r: string) => buildSite({ tree: memoryTree(files, { revision: r }), triplet, entityTitle: 't' });
    const a = await rev('abc');
    expect(a.site!.revision).toBe('abc');
    expect((await buildSite({ tree: memoryTree({}, { revision: 'abc' }), triplet, entityTitle: 't', previousHash: a.sourceHash })).outcome).toBe('unchanged');
  });

  it('serves README.md as a folder index and resolves route clashes', async () => {
    const r = await build({ 'docs/README.md': '# Readme home\n', 'docs/a.md': '# A\n', 'docs/a/index.md': '# A index\n' });
    expect(r.site!.homeRoute).toBe('');
    expect(page(r, '').title).toBe('Readme home');
    expect(r.site!.pages.map((p) => p.route).sort()).toEqual(['', 'a', 'a/index.md']);
    expect(messages(r, 'warning').some((m) => m.includes('would have the same address'))).toBe(true);
  });
});
