import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { notificationsPlugin } from '@atrium/plugin-notifications/backend';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SerializedTask, SerializedTaskEvent } from '../common/index.js';
import { scaffolderPlugin } from './plugin.js';
import { tempRoot, writeTree } from './testing/fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const examples = path.resolve(import.meta.dirname, '../../../../catalog-examples/templates/all.yaml');

/**
 * The first journey of a new user: create a component from the shipped "Node.js service"
 * template with no scaffolder or catalog reader configuration. It publishes into `<dataDir>/repos`, the catalog
 * reads it from there, and "Open in catalog" names the component.
 */
describe.each(testDatabaseKinds())('first run: the shipped node-service template on %s', (database) => {
  let backend: TestBackend;
  let root: string;
  let dataDir: string;

  beforeAll(async () => {
    root = await tempRoot();
    dataDir = path.join(root, 'data');
    await writeTree(root, {
      'broken.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: broken-info }
spec:
  type: service
  parameters: [{ properties: { name: { type: string } } }]
  steps:
    - id: fetch
      action: fetch:plain
      input: { url: ./broken-skeleton }
    - id: publish
      action: publish:git
      input: { repoUrl: '\${{ parameters.name }}.git' }
    - id: register
      action: catalog:register
      input: { repoContentsUrl: '\${{ steps.publish.output.repoContentsUrl }}', catalogInfoPath: /catalog-info.yaml }
`,
      'broken-skeleton/catalog-info.yaml':
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: "Not A Valid Name!" }\nspec: { type: service, owner: x, lifecycle: y }\n',
    });
    backend = await startTestBackend({
      plugins: [catalogPlugin, notificationsPlugin, scaffolderPlugin],
      database,
      config: {
        backend: { dataDir },
        catalog: {
          locations: [
            { type: 'file', target: examples },
            { type: 'file', target: path.join(root, 'broken.yaml') },
          ],
          processingPollMs: 100,
          // On the embedded database the catalog reads <dataDir>/repos by default; a deployment on
          // a Postgres server names its roots.
          ...(database === 'postgres' ? { readers: { fileRoots: [path.join(dataDir, 'repos')] } } : {}),
        },
        scaffolder: { pollMs: 50 },
      },
    });
    for (let i = 0; i < 200; i++) {
      const r = await backend.json<{ items: unknown[] }>('/api/catalog/entities/by-query?filter=kind=template&limit=100');
      if (r.body.items?.length >= 3) break;
      await sleep(100);
    }
  });

  afterAll(async () => {
    await backend?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  async function run(templateRef: string, values: Record<string, unknown>): Promise<SerializedTask> {
    const created = await backend.json<{ id: string }>('/api/scaffolder/v2/tasks', { method: 'POST', body: { templateRef, values } });
    expect(created.status).toBe(201);
    for (let i = 0; i < 600; i++) {
      const { body } = await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${created.body.id}`);
      if (['completed', 'failed', 'cancelled'].includes(body.status)) return body;
      await sleep(50);
    }
    throw new Error('the task did not finish');
  }

  it('publishes into <dataDir>/repos, registers the component and links to it', async () => {
    const task = await run('template:default/node-service', { name: 'parcel-api', owner: 'group:default/platform-team' });
    expect(task.error).toBeUndefined();
    expect(task.status).toBe('completed');
    const bare = path.join(dataDir, 'repos', 'parcel-api.git');
    const output = task.output as { links: Array<{ title: string; url?: string; entityRef?: string }> };
    expect(output.links).toEqual([
      expect.objectContaining({ title: 'Repository', url: `file://${bare}` }),
      expect.objectContaining({ title: 'Open in catalog', entityRef: 'component:default/parcel-api' }),
    ]);
    // The component is in the catalog by the time the task completes.
    const entity = await backend.json<{ metadata: { name: string } }>('/api/catalog/entities/by-name/component/default/parcel-api');
    expect(entity.status).toBe(200);

    // The bare repository's HEAD names the pushed branch, so a clone checks out files.
    expect(execFileSync('git', ['--git-dir', bare, 'symbolic-ref', 'HEAD']).toString().trim()).toBe('refs/heads/main');
    const clone = path.join(root, `clone-${database}`);
    execFileSync('git', ['clone', '--quiet', `file://${bare}`, clone]);
    expect((await fs.readdir(clone)).sort()).toEqual(expect.arrayContaining(['catalog-info.yaml', 'package.json', 'README.md']));
  });

  it("fails catalog:register with the location's error when the file yields no entity, and removes that location", async () => {
    const task = await run('template:default/broken-info', { name: `broken-${database}` });
    expect(task.status).toBe('failed');
    expect(task.error).toMatch(
      /catalog:register: the catalog could not read any entity from git:file:\/\/.*broken-.*\.git#main:\/catalog-info\.yaml: .*Not A Valid Name!/,
    );
    const events = (await backend.json<SerializedTaskEvent[]>(`/api/scaffolder/v2/tasks/${task.id}/events`)).body;
    expect(events.some((e) => e.body.stepId === 'register' && e.body.status === 'failed')).toBe(true);
    const locations = await backend.json<Array<{ data: { target: string } }>>('/api/catalog/locations');
    expect(locations.body.map((l) => l.data.target).filter((t) => t.includes(`broken-${database}.git`))).toEqual([]);
  });

  it('keeps the scaffolder out of the OS temp folder: workspaces live under <dataDir>/scaffolder and are removed', async () => {
    const work = path.join(dataDir, 'scaffolder', 'work');
    expect(await fs.readdir(work)).toEqual([]);
  });
});
