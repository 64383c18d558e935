import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsEntityDetail } from '../common/index.js';
import { componentYaml } from './testing/techdocsTestkit.testing.js';
import { techdocsPlugin } from './plugin.js';

/**
 * TechDocs takes its readable roots from the shared sources service (`backend.reading`), not from
 * the catalog's config section: docs in a folder named only in `backend.reading.fileRoots` build,
 * and a folder named only in `catalog.readers.fileRoots` while `backend.reading.fileRoots` is set
 * (the host-level key wins over the deprecated alias) is refused.
 */
describe.each(testDatabaseKinds())('TechDocs roots from backend.reading on %s', (database) => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-sources-')));
  const project = path.join(base, 'project');
  const shared = path.join(base, 'shared');
  const aliasOnly = path.join(base, 'alias-only');
  let backend: TestBackend;
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  const detail = (name: string) =>
    waitFor(
      async () => {
        const r = await backend.json<DocsEntityDetail>(`/api/techdocs/entities/default/component/${name}`);
        const busy = r.body?.build?.status === 'queued' || r.body?.build?.status === 'building';
        return r.status === 200 && r.body.build.lastBuildFinishedAt && !busy ? r.body : false;
      },
      { timeoutMs: 60_000, message: `the docs build of ${name}` },
    );

  beforeAll(async () => {
    write(path.join(shared, 'site/docs/index.md'), '# Shared docs\n');
    write(path.join(aliasOnly, 'site/docs/index.md'), '# Alias docs\n');
    write(
      path.join(project, 'catalog-info.yaml'),
      [componentYaml('in-shared', 'dir:../shared/site'), componentYaml('in-alias', 'dir:../alias-only/site')].join('---\n'),
    );
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, techdocsPlugin],
      configDir: project,
      config: {
        backend: { dataDir: path.join(project, '.atrium'), reading: { fileRoots: [shared] } },
        catalog: {
          processingPollMs: 100,
          readers: { fileRoots: [aliasOnly] },
          locations: [{ type: 'file', target: path.join(project, 'catalog-info.yaml') }],
        },
        techdocs: { refreshIntervalSeconds: 3600, builder: { pollIntervalMs: 100 } },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('builds docs under a backend.reading root', async () => {
    expect((await detail('in-shared')).build.status).toBe('ready');
  }, 90_000);

  it('refuses docs under a root only the catalog section names', async () => {
    const d = await detail('in-alias');
    expect(d.build.status).not.toBe('ready');
    expect(d.log.map((e) => e.message).join('\n')).toContain('outside the allowed roots');
  }, 90_000);
});
