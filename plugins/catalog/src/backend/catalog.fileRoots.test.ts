import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from './ingestion/testUtils.js';
import { catalogPlugin } from './plugin.js';
import { component, yamlDocs } from './testing/catalogTestkit.testing.js';

/**
 * With no `backend.reading` (or `catalog.readers`) config at all (as in the shipped app-config.yaml): on the embedded
 * database a user may register files under the project directory, their home directory and
 * the data directory's `repos/` (where the scaffolder publishes); on a Postgres server no file
 * at all. Every refusal names the config key that would allow it.
 */
describe.each(testDatabaseKinds())('default file roots on %s', (database) => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-roots-')));
  const project = path.join(base, 'project');
  const home = path.join(base, 'home');
  const dataDir = path.join(project, '.atrium');
  const elsewhere = path.join(base, 'elsewhere');
  const savedHome = process.env['HOME'];
  let backend: TestBackend;
  const register = (type: string, target: string, dryRun = false) =>
    backend.json<any>(`/api/catalog/locations${dryRun ? '?dryRun=true' : ''}`, { method: 'POST', body: { type, target } }); // eslint-disable-line @typescript-eslint/no-explicit-any
  const write = (file: string, name: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, yamlDocs(component(name)));
    return file;
  };

  beforeAll(async () => {
    for (const d of [project, home, elsewhere]) fs.mkdirSync(d, { recursive: true });
    process.env['HOME'] = home; // os.homedir()
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin],
      configDir: project,
      config: { backend: { dataDir }, catalog: { processingPollMs: 100 } },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    process.env['HOME'] = savedHome;
    fs.rmSync(base, { recursive: true, force: true });
  });

  const embedded = database === 'pglite';

  it(embedded ? 'registers files under the project and the home directory' : 'registers no file by default', async () => {
    for (const file of [write(path.join(project, 'svc/catalog-info.yaml'), 'in-project'), write(path.join(home, 'code/catalog-info.yaml'), 'in-home')]) {
      const res = await register('file', file);
      if (embedded) expect(res.status).toBe(201);
      else {
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('backend.reading.fileRoots');
      }
    }
  });

  it('refuses a file elsewhere, naming backend.reading.fileRoots', async () => {
    const res = await register('file', write(path.join(elsewhere, 'catalog-info.yaml'), 'elsewhere'));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/add its directory to backend\.reading\.fileRoots/);
  });

  it('refuses a loopback URL, naming backend.reading.allowPrivateNetworks', async () => {
    const res = await register('url', 'http://127.0.0.1:9/catalog-info.yaml', true);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('backend.reading.allowPrivateNetworks');
  });

  it(
    embedded ? 'reads a repository published under <dataDir>/repos, caching git under the data directory' : 'refuses a repository under <dataDir>/repos',
    async () => {
      const work = path.join(base, 'work');
      fs.mkdirSync(work, { recursive: true });
      git(work, 'init', '-q', '-b', 'main');
      write(path.join(work, 'catalog-info.yaml'), 'published');
      git(work, 'add', '.');
      git(work, 'commit', '-q', '-m', 'init');
      const repo = path.join(dataDir, 'repos', 'published.git');
      git(base, 'clone', '-q', '--bare', work, repo);
      const res = await register('git', `file://${repo}#main`);
      expect(res.status).toBe(201);
      const status = (await backend.json<any>(`/api/catalog/locations/${res.body.location.id}/status`)).body; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (embedded) {
        expect(status.errors).toEqual([]);
        expect((await backend.json('/api/catalog/entities/by-name/component/default/published')).status).toBe(200);
        expect(fs.readdirSync(path.join(dataDir, 'git-cache')).length).toBeGreaterThan(0);
      } else {
        expect(status.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('backend.reading.fileRoots') })]);
      }
    },
  );
});
