import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testPostgresUrl } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsPage, DocsSite } from '../common/index.js';
import { componentYaml, startTechdocs, type TechdocsTestkit } from './testing/techdocsTestkit.testing.js';

const names = ['alpha', 'beta', 'gamma', 'delta'];

// Several replicas need a shared Postgres server; PGlite is one process's database.
describe.skipIf(!testPostgresUrl())('two replicas on one Postgres database', () => {
  let a: TechdocsTestkit;
  let b: TechdocsTestkit;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-techdocs-replicas-'));
    fs.writeFileSync(path.join(dir, 'catalog-info.yaml'), names.map((n) => componentYaml(n, `dir:${n}`)).join('---\n'));
    for (const n of names) {
      fs.mkdirSync(path.join(dir, n, 'docs'), { recursive: true });
      fs.writeFileSync(path.join(dir, n, 'docs', 'index.md'), `# ${n}\n\n${'Some text. '.repeat(2000)}\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n`);
    }
    a = await startTechdocs('postgres', { dir, replicaId: 'replica-a', techdocs: { builder: { pollIntervalMs: 50 } } });
    b = await startTechdocs('postgres', { dir, replicaId: 'replica-b', postgresUrl: a.backend.postgresUrl!, techdocs: { builder: { pollIntervalMs: 50 } } });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds each entity on one replica at a time, and both serve every site', async () => {
    for (const n of names) await a.waitForBuild({ kind: 'component', name: n });
    // Both replicas are asked, repeatedly, to rebuild everything at once.
    for (let round = 0; round < 3; round++) {
      await Promise.all(names.flatMap((n) => [a, b].map((kit) => kit.api(`/builds/default/component/${n}`, { method: 'POST', body: { force: true } }))));
      await new Promise((r) => setTimeout(r, 150));
    }
    await a.waitFor(async () => {
      const list = await a.api<{ items: Array<{ build: { status: string } }> }>('/entities');
      return list.body.items.every((i) => i.build.status === 'ready');
    });
    await Promise.all([a.service.idle(), b.service.idle()]);

    const history = [...a.service.recentBuilds().map((h) => ({ ...h, replica: 'a' })), ...b.service.recentBuilds().map((h) => ({ ...h, replica: 'b' }))];
    expect(history.length).toBeGreaterThanOrEqual(names.length * 2);
    for (const n of names) {
      const runs = history.filter((h) => h.entityRef === `component:default/${n}`).sort((x, y) => x.startedAt - y.startedAt);
      for (let i = 1; i < runs.length; i++) {
        expect(runs[i]!.startedAt, `${n}: run ${i} on ${runs[i]!.replica} overlaps the previous run on ${runs[i - 1]!.replica}`).toBeGreaterThanOrEqual(
          runs[i - 1]!.finishedAt - 5,
        );
      }
    }
    for (const kit of [a, b]) {
      for (const n of names) expect((await kit.api<DocsSite>(`/sites/default/component/${n}`)).body.siteName).toBe(n);
    }
  });

  it('a site rebuilt on one replica is served fresh by the other (its page cache is invalidated)', async () => {
    const page = (kit: TechdocsTestkit) => kit.api<DocsPage>('/sites/default/component/alpha/page?route=');
    expect((await page(b)).body.html).not.toContain('Second edition'); // now cached on b
    fs.writeFileSync(path.join(dir, 'alpha', 'docs', 'index.md'), '# alpha\n\nSecond edition.\n');
    const since = Date.now();
    await a.api('/builds/default/component/alpha', { method: 'POST', body: {} });
    await a.waitForBuild({ kind: 'component', name: 'alpha' }, since);
    await b.waitFor(async () => (await page(b)).body.html.includes('Second edition'), 10_000);
  });
});
