import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityDetail, DocsPage, DocsSite } from '../common/index.js';
import { componentYaml, startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

/**
 * The bad input of the TechDocs issue, through the whole pipeline (catalog → build → API):
 * each gives a build error or warning in the entity's log, never a crash or an unsafe page.
 */
const entities = [
  componentYaml('no-mkdocs', 'dir:no-mkdocs'),
  componentYaml('missing-nav', 'dir:missing-nav'),
  componentYaml('hostile', 'dir:hostile'),
  componentYaml('huge', 'dir:huge'),
  componentYaml('missing-folder', 'dir:does-not-exist'),
  componentYaml('outside-roots', 'dir:../../../../../../etc'),
  componentYaml('bad-ref', 'github:acme/repo'),
  componentYaml('linked-out', 'dir:linked-out'),
].join('---\n');

const files: Record<string, string> = {
  'catalog-info.yaml': entities,
  'no-mkdocs/docs/index.md': '# No config here\n',
  'missing-nav/mkdocs.yml': 'site_name: Missing nav targets\nnav:\n  - Home: index.md\n  - Gone: gone.md\n  - Also gone: sub/none.md\n',
  'missing-nav/docs/index.md': '# Home\n',
  'hostile/mkdocs.yml': 'site_name: Hostile\n',
  'hostile/docs/index.md': [
    '# Hostile',
    '<script>document.cookie</script>',
    '<img src="logo.png" onerror="alert(document.domain)">',
    '[js](javascript:alert(1)) <a href="javascript:alert(2)">raw js</a>',
    '![escape](../../secret.png) ![escape2](../mkdocs.yml)',
  ].join('\n\n'),
  'secret.png': 'not for the docs',
  'huge/docs/index.md': '# Home\n\nSee [the big one](big.md).\n',
  'huge/docs/big.md': `# Big\n\n${'All work and no play makes a large page. '.repeat(520_000)}`,
  'linked-out/docs/index.md': '# Linked\n\n--8<-- "../../secret.png"\n\n![img](leak.png)\n',
};

describe.each(testDatabaseKinds())('bad docs input on %s', (database) => {
  let kit: TechdocsTestkit;
  const detail = async (name: string) => kit.waitForBuild({ kind: 'component', name }, 0, 90_000);
  const messages = (d: DocsEntityDetail) => d.log.map((e) => `${e.level}: ${e.message}`);
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-bad-'));
    for (const [f, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
    fs.symlinkSync(path.join(dir, 'secret.png'), path.join(dir, 'linked-out/docs/leak.png'));
    kit = await startTechdocs(database, { dir });
  });
  afterAll(async () => {
    await kit?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('missing mkdocs.yml: a warning, and a site built with defaults', async () => {
    const d = await detail('no-mkdocs');
    expect(d.build.status).toBe('ready');
    expect(messages(d)).toContain('warning: No mkdocs.yml found; using defaults (docs_dir: docs, site named after the entity)');
    expect((await kit.api<DocsSite>('/sites/default/component/no-mkdocs')).body.siteName).toBe('no-mkdocs');
  });

  it('nav entries pointing to missing files: warnings, and a nav without them', async () => {
    const d = await detail('missing-nav');
    expect(d.build.status).toBe('ready');
    expect(messages(d)).toEqual(
      expect.arrayContaining([
        'warning: nav entry "Gone" points to gone.md, which does not exist in the docs folder; left out',
        'warning: nav entry "Also gone" points to sub/none.md, which does not exist in the docs folder; left out',
      ]),
    );
    expect((await kit.api<DocsSite>('/sites/default/component/missing-nav')).body.nav).toEqual([{ type: 'page', title: 'Home', route: '' }]);
  });

  it('<script>, onerror=, javascript: links and escaping image paths: warnings and a safe page', async () => {
    const d = await detail('hostile');
    expect(d.build.status).toBe('ready');
    expect(messages(d)).toEqual(
      expect.arrayContaining([
        'warning: Unsafe HTML: removed a <script> element',
        'warning: Unsafe HTML: removed an event handler attribute (onerror=)',
        'warning: Unsafe HTML: removed a javascript: URL',
        'warning: Unsafe link removed: javascript:alert(1)',
        'warning: Image path ../../secret.png points outside the docs folder; removed',
        'warning: Image path ../mkdocs.yml points outside the docs folder; removed',
        'warning: Missing image: logo.png',
      ]),
    );
    const page = await kit.api<DocsPage>('/sites/default/component/hostile/page?route=');
    expect(page.body.html).not.toMatch(/<script|onerror|href="javascript:|secret|mkdocs/i);
  });

  it('a 20 MB Markdown page: an error for that page, the rest of the site is served', async () => {
    expect(fs.statSync(path.join(kit.dir, 'huge/docs/big.md')).size).toBeGreaterThan(20 * 1024 * 1024);
    const d = await detail('huge');
    expect(d.build.status).toBe('ready');
    expect(d.build.errorCount).toBe(1);
    expect(d.log.find((e) => e.level === 'error')).toMatchObject({
      file: 'docs/big.md',
      message: expect.stringMatching(/^Page too large to render: File docs\/big.md is 2\d\.\d MB, over the/),
    });
    expect((await kit.api<DocsPage>('/sites/default/component/huge/page?route=big')).body.html).toContain('This page could not be built');
    expect((await kit.api<DocsPage>('/sites/default/component/huge/page?route=')).status).toBe(200);
  });

  it('a techdocs-ref to a missing folder, outside the allowed roots, or of an unknown type: a failed build with the reason', async () => {
    const missing = await detail('missing-folder');
    expect(missing.build.status).toBe('failed');
    expect(messages(missing)).toEqual([`error: Docs folder ${path.join(kit.dir, 'does-not-exist')} does not exist`]);
    expect((await kit.api('/sites/default/component/missing-folder')).status).toBe(404);

    const outside = await detail('outside-roots');
    expect(outside.build.status).toBe('failed');
    expect(messages(outside)[0]).toMatch(/^error: Docs folder .* is outside the allowed roots \(techdocs.allowedRoots\)$/);

    const bad = await detail('bad-ref');
    expect(messages(bad)).toEqual(['error: techdocs-ref type "github" is not supported; use dir:<path> or url:<url>']);
  });

  it('snippets and images that link out of the source are not read', async () => {
    const d = await detail('linked-out');
    expect(messages(d)).toEqual(expect.arrayContaining(['warning: Snippet "../../secret.png" was not found']));
    expect(messages(d)).toContain('warning: Missing image: leak.png'); // a link out of the root is not part of the tree
    expect((await kit.backend.fetch('/api/techdocs/static/docs/default/component/linked-out/leak.png')).status).toBe(404);
    const page = await kit.api<DocsPage>('/sites/default/component/linked-out/page?route=');
    expect(page.body.html).not.toContain('not for the docs');
  });

  it('keeps serving: the home lists every entity with its status', async () => {
    const list = await kit.api<{ items: Array<{ name: string; build: { status: string } }> }>('/entities?limit=100');
    const status = Object.fromEntries(list.body.items.map((i) => [i.name, i.build.status]));
    expect(status).toMatchObject({
      'no-mkdocs': 'ready',
      hostile: 'ready',
      huge: 'ready',
      'missing-folder': 'failed',
      'outside-roots': 'failed',
      'bad-ref': 'failed',
    });
    expect((await kit.backend.fetch('/readyz')).status).toBe(200);
  });
});
