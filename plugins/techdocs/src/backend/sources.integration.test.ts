import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testDatabaseKinds } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsPage, DocsSite } from '../common/index.js';
import { componentYaml, startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

/** A git repository with a catalog descriptor and docs two folders down, committed on `main`. */
function makeRepo(dir: string): { url: string; commit: (file: string, content: string) => void } {
  fs.mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env });
  git('init', '-q', '-b', 'main');
  const commit = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
    git('add', '-A');
    git('commit', '-q', '-m', `update ${file}`);
  };
  commit('services/billing/catalog-info.yaml', componentYaml('billing', 'dir:.'));
  commit('services/billing/mkdocs.yml', 'site_name: Billing from git\nrepo_url: https://github.com/acme/billing\n');
  commit('services/billing/docs/index.md', '# Billing\n\nInvoices are sent monthly.\n');
  return { url: pathToFileURL(dir).href, commit };
}

describe.each(testDatabaseKinds())('docs sources and storage on %s', (database) => {
  let kit: TechdocsTestkit;
  let repo: ReturnType<typeof makeRepo>;
  let sitesDir: string;
  beforeAll(async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-git-')));
    repo = makeRepo(path.join(dir, 'repo'));
    sitesDir = path.join(dir, 'sites');
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), [componentYaml('from-url-ref', `url:${repo.url}#main:services/billing`)].join('---\n'));
    kit = await startTechdocs(database, {
      dir,
      catalogTargets: [path.join(dir, 'catalog-info.yaml')],
      techdocs: { storage: { type: 'directory', directory: sitesDir } },
    });
    // A git location: the entity's managed-by-location is git:<repo>#main:<path>, and dir:. resolves inside the commit.
    const added = await kit.backend.json('/api/catalog/locations', {
      method: 'POST',
      body: { type: 'git', target: `${repo.url}#main:services/billing/catalog-info.yaml` },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
  });
  afterAll(async () => {
    const dir = kit?.dir;
    await kit?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds docs from a git location (dir: inside the commit) and from a url: ref to a repository folder', async () => {
    for (const name of ['billing', 'from-url-ref']) {
      const d = await kit.waitForBuild({ kind: 'component', name });
      expect(d.build.status, JSON.stringify(d.log)).toBe('ready');
      const site = await kit.api<DocsSite>(`/sites/default/component/${name}`);
      expect(site.body.siteName).toBe('Billing from git');
      expect(site.body.revision).toMatch(/^[0-9a-f]{40}$/);
      const page = await kit.api<DocsPage>(`/sites/default/component/${name}/page?route=`);
      expect(page.body.html).toContain('Invoices are sent monthly.');
      expect(page.body.editUrl).toBe('https://github.com/acme/billing/edit/master/docs/index.md');
    }
  });

  it("stores sites in the configured directory, in Backstage's <namespace>/<kind>/<name> layout", async () => {
    const siteDir = path.join(sitesDir, 'default', 'component', 'billing');
    expect(fs.existsSync(path.join(siteDir, 'site.json'))).toBe(true);
    expect(fs.existsSync(path.join(siteDir, 'manifest.json'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(siteDir, 'site.json'), 'utf8')).siteName).toBe('Billing from git');
  });

  it('rebuilds when a new commit changes the docs, and skips an unchanged commit', async () => {
    let since = Date.now();
    await kit.api('/builds/default/component/from-url-ref', { method: 'POST', body: {} });
    let d = await kit.waitForBuild({ kind: 'component', name: 'from-url-ref' }, since);
    expect(d.build.lastResult).toBe('unchanged');
    const before = (await kit.api<DocsSite>('/sites/default/component/from-url-ref')).body.revision;

    repo.commit('services/billing/docs/index.md', '# Billing\n\nInvoices are sent weekly now.\n');
    since = Date.now();
    await kit.api('/builds/default/component/from-url-ref', { method: 'POST', body: {} });
    d = await kit.waitForBuild({ kind: 'component', name: 'from-url-ref' }, since);
    expect(d.build.lastResult).toBe('built');
    const after = await kit.api<DocsSite>('/sites/default/component/from-url-ref');
    expect(after.body.revision).not.toBe(before);
    expect((await kit.api<DocsPage>('/sites/default/component/from-url-ref/page?route=')).body.html).toContain('weekly');
  });
});
