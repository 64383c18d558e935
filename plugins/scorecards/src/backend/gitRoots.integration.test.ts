import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { git, removeTempDirs, tempDir, writeTree } from '@atrium/source-readers/testing';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityResultsResponse } from '../common/index.js';
import { scorecardKinds } from './config.js';
import { scorecardsPlugin } from './plugin.js';

afterAll(removeTempDirs);

const scorecard = {
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Scorecard',
  metadata: { name: 'repo' },
  spec: { filter: { kind: 'Component' }, levels: [{ id: 'ok' }], rules: [{ id: 'readme', level: 'ok', condition: 'facts.hasReadme' }] },
};

/**
 * Scorecards' git facts read `file://` repositories under the roots of the shared sources
 * service (`backend.reading.fileRoots`), with no `catalog.readers` section at all: before, it
 * read the catalog's section and found no root, so the facts stayed unknown.
 */
describe.each(testDatabaseKinds())('git facts within backend.reading roots on %s', (database) => {
  let backend: TestBackend;
  const facts = async (name: string) => (await backend.json<EntityResultsResponse>(`/api/scorecards/entities/component/default/${name}`)).body?.facts;

  beforeAll(async () => {
    const shared = await tempDir('atrium-scorecards-sources-');
    const project = await tempDir('atrium-scorecards-project-');
    const repo = path.join(shared, 'svc');
    await writeTree(repo, {
      'catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n',
      'README.md': '# Svc\n',
    });
    git(repo, 'init', '--quiet', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'first');
    await writeTree(project, { 'scorecard.yaml': JSON.stringify(scorecard) });
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, scorecardsPlugin],
      configDir: project,
      config: {
        backend: { dataDir: path.join(project, '.atrium'), reading: { fileRoots: [shared] } },
        catalog: {
          processingPollMs: 100,
          kinds: scorecardKinds,
          locations: [
            { type: 'file', target: 'scorecard.yaml' },
            { type: 'git', target: `${pathToFileURL(repo).href}#main:catalog-info.yaml` },
          ],
        },
        scorecards: { eventBatchMs: 20, git: { enabled: true } },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('knows hasReadme for an entity read from a local repository under backend.reading.fileRoots', async () => {
    const fact = await waitFor(
      async () => {
        await backend.json('/api/scorecards/evaluate', { method: 'POST' });
        const f = (await facts('svc'))?.['hasReadme'];
        return f?.status === 'known' ? f : false;
      },
      { timeoutMs: 60_000, intervalMs: 300, message: 'the hasReadme fact of svc' },
    );
    expect(fact.value).toBe(true);
  }, 90_000);
});
