import path from 'node:path';
import { promises as fs } from 'node:fs';
import pg from 'pg';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { createTestPostgresDatabase, startTestBackend, testPostgresUrl, waitFor, type TestBackend, type TestPostgresDatabase } from '@atrium/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import type { SerializedTask } from '../common/index.js';
import { scaffolderPlugin } from './plugin.js';
import { fixtureFiles, freePort, tempRoot, writeTree } from './testing/fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Restart handling needs the database to outlive a backend, so it runs on the Postgres server only.
describe.skipIf(!testPostgresUrl())('scaffolder restart handling (postgres)', () => {
  const backends: TestBackend[] = [];
  let root: string;
  let database: TestPostgresDatabase | undefined;

  afterAll(async () => {
    for (const b of backends.reverse()) await b.stop().catch(() => undefined);
    await database?.drop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  // Both backends join one database this test owns (a backend drops only a database it created).
  async function start(postgresUrl: string): Promise<TestBackend> {
    const port = await freePort();
    const b = await startTestBackend({
      plugins: [catalogPlugin, scaffolderPlugin],
      database: 'postgres',
      postgresUrl,
      config: {
        backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port, host: '127.0.0.1' } },
        catalog: { locations: [{ type: 'file', target: path.join(root, 'catalog.yaml') }], processingPollMs: 100 },
        scaffolder: { pollMs: 50, taskTimeoutSeconds: 5 },
      },
    });
    backends.push(b);
    return b;
  }

  it('a task cut off by a shutdown is let go and resumed by the next replica (the idempotent step runs again); secrets stay sealed until it ends', async () => {
    root = await tempRoot();
    await writeTree(root, fixtureFiles());
    database = await createTestPostgresDatabase();
    const first = await start(database.url);
    for (let i = 0; i < 100; i++) {
      if ((await first.json(`/api/scaffolder/v2/templates/default/template/wait/parameter-schema`)).status === 200) break;
      await sleep(100);
    }
    const created = await first.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      method: 'POST',
      body: { templateRef: 'template:default/wait', values: { name: 'x' }, secrets: { token: 'plain-secret-value' } },
    });
    const id = created.body.id;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await waitFor(async () => (await first.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`)).body.steps?.[0]?.status === 'processing', {
        timeoutMs: 30_000,
        message: 'the step never started',
      });
      const stored = await client.query('select secrets_enc from scaffolder.tasks where id = $1', [id]);
      expect(stored.rows[0].secrets_enc).toBeTruthy();
      expect(stored.rows[0].secrets_enc).not.toContain('plain-secret-value');

      // Graceful shutdown: the task is not failed; its lease ends at once so any replica may take it.
      await first.stop();
      backends.splice(backends.indexOf(first), 1);
      const after = await client.query('select status, error, secrets_enc, lease_expires_at <= now() as released from scaffolder.tasks where id = $1', [id]);
      expect(after.rows[0]).toMatchObject({ status: 'processing', error: null, released: true });
      expect(after.rows[0].secrets_enc).toBeTruthy();

      // The next replica resumes it: debug:wait is idempotent, so the cut-off step runs again.
      const second = await start(database.url);
      await waitFor(
        async () => {
          const t = (await second.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`)).body;
          return t.status === 'processing' && t.steps?.[0]?.attempt === 2;
        },
        { timeoutMs: 30_000, message: 'the task was not resumed' },
      );
      const claimed = await client.query('select claimed_by from scaffolder.tasks where id = $1', [id]);
      expect(claimed.rows[0].claimed_by).toBe(second.backend.replicaId);
      expect((await second.json(`/api/scaffolder/v2/tasks/${id}/cancel`, { method: 'POST', body: {} })).status).toBe(200);
      await waitFor(async () => (await second.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`)).body.status === 'cancelled', {
        timeoutMs: 30_000,
        message: 'not cancelled',
      });
      const ended = await client.query('select secrets_enc from scaffolder.tasks where id = $1', [id]);
      expect(ended.rows[0].secrets_enc).toBeNull();
    } finally {
      await client.end();
    }
  });
});
