import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { techdocsBuildFinished } from '@atrium/plugin-techdocs/common';
import { techdocsPlugin } from '@atrium/plugin-techdocs/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityResultsResponse } from '../common/index.js';
import { scorecardKinds } from './config.js';
import { scorecardsPlugin } from './plugin.js';

const component = (name: string, techdocsRef: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations: { 'backstage.io/techdocs-ref': techdocsRef } },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});
const scorecard = {
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Scorecard',
  metadata: { name: 'docs' },
  spec: { filter: { kind: 'Component' }, levels: [{ id: 'documented' }], rules: [{ id: 'techdocs', level: 'documented', condition: 'facts.techdocsBuilt' }] },
};

// TechDocs builds real sites here: `good` has docs, `broken` has none, so its build fails.
describe.each(testDatabaseKinds())('the techdocsBuilt fact, from the topic TechDocs declares, on %s', (database) => {
  let dir: string;
  let backend: TestBackend;
  const techdocsBuilt = async (name: string) =>
    (await backend.json<EntityResultsResponse>(`/api/scorecards/entities/component/default/${name}`)).body.facts['techdocsBuilt'];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scorecards-techdocs-'));
    fs.mkdirSync(path.join(dir, 'good', 'docs'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'broken'));
    fs.writeFileSync(path.join(dir, 'good', 'mkdocs.yml'), 'site_name: Good\n');
    fs.writeFileSync(path.join(dir, 'good', 'docs', 'index.md'), '# Good\n');
    fs.writeFileSync(
      path.join(dir, 'catalog.yaml'),
      [component('good', 'dir:./good'), component('broken', 'dir:./broken'), scorecard].map((d) => JSON.stringify(d)).join('\n---\n'),
    );
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, techdocsPlugin, scorecardsPlugin],
      configDir: dir,
      config: {
        catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, kinds: scorecardKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
        techdocs: { allowedRoots: [dir], refreshIntervalSeconds: 3600, builder: { pollIntervalMs: 100 }, git: { cacheDir: path.join(dir, '.git-cache') } },
        scorecards: { eventBatchMs: 20, git: { enabled: false } },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows real TechDocs builds: built is true, failed is false', async () => {
    await waitFor(async () => (await techdocsBuilt('good'))?.value === true, { timeoutMs: 60_000 });
    await waitFor(
      async () => {
        const fact = await techdocsBuilt('broken');
        return fact?.status === 'known' && fact.value === false;
      },
      { timeoutMs: 60_000 },
    );
    expect(await techdocsBuilt('good')).toMatchObject({ value: true, status: 'known', provider: 'techdocs' });
  });

  it('ignores techdocs events that are not the declared build topic (no guessing at payloads)', async () => {
    // Shapes the former `techdocs.*` subscriber guessed at: none of them is a build outcome.
    await backend.backend.events.publish('techdocs.site.published', { entityRef: 'component:default/broken', ok: true });
    await backend.backend.events.publish('techdocs.anything', { entityRef: 'component:default/broken', status: 'succeeded' });
    await backend.backend.events.drain();
    await backend.json('/api/scorecards/evaluate', { method: 'POST' });
    expect(await techdocsBuilt('broken')).toMatchObject({ value: false, status: 'known' });
  });

  it('re-evaluates an entity when the declared topic reports a new outcome', async () => {
    const events = backend.backend.events.service();
    await events.publish(techdocsBuildFinished, { entityRef: 'component:default/broken', status: 'built' });
    await waitFor(async () => (await techdocsBuilt('broken'))?.value === true);
    await events.publish(techdocsBuildFinished, { entityRef: 'component:default/good', status: 'failed' });
    await waitFor(async () => (await techdocsBuilt('good'))?.value === false);
  });
});
