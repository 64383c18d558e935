import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPostgresDatabase, testDatabaseKinds, waitFor, type TestDatabaseKind, type TestPostgresDatabase } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SerializedTask, SerializedTaskEvent } from '../common/index.js';
import { counted, durableTemplates } from './testing/durableActions.testing.js';
import { createBareRepo, freePort, tempRoot, writeTree } from './testing/fixtures.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const childEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing/durableChild.testing.ts');

interface Child {
  url: string;
  replicaId: string;
  process: ChildProcess;
  json<T>(p: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the durability test backend (catalog, scaffolder, test actions) in its own process. */
async function startChild(settings: {
  root: string;
  countDir: string;
  dataDir: string;
  database: { client: 'pg' | 'pglite'; connection: string };
}): Promise<Child> {
  const port = await freePort();
  const replicaId = `replica-${randomUUID().slice(0, 8)}`;
  // tsx as a loader in this very process (not its CLI, which forks a second one): kill -9 must hit the backend itself.
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', childEntry], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn', ATRIUM_DURABLE_CHILD: JSON.stringify({ ...settings, port, replicaId }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      // Not left behind holding the database (PGlite allows one process per directory).
      child.kill('SIGKILL');
      reject(new Error(`the child backend did not start in 180 s:\n${stderr}`));
    }, 180_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the child backend exited with ${code}:\n${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    replicaId,
    process: child,
    async json<T>(p: string, init: { method?: string; body?: unknown } = {}) {
      const method = init.method ?? (init.body !== undefined ? 'POST' : 'GET');
      const res = await fetch(new URL(p, url), {
        method,
        headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        ...(method === 'GET' ? {} : { body: JSON.stringify(init.body ?? {}) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function templatesLoaded(child: Child): Promise<void> {
  await waitFor(
    async () =>
      (await child.json(`/api/scaffolder/v2/templates/default/template/durable-once/parameter-schema`)).status === 200 &&
      (await child.json(`/api/scaffolder/v2/templates/default/template/durable-five/parameter-schema`)).status === 200,
    { timeoutMs: 60_000, intervalMs: 200, message: 'the durable templates were not loaded' },
  );
}

async function finished(child: Child, id: string, statuses = ['completed', 'failed', 'cancelled'], timeoutMs = 180_000): Promise<SerializedTask> {
  let task: SerializedTask | undefined;
  await waitFor(
    async () => {
      task = (await child.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`)).body;
      if (!statuses.includes(task.status))
        throw new Error(`task ${id} is ${JSON.stringify({ status: task.status, steps: task.steps, error: task.error })}, not ${statuses.join('/')}`);
    },
    { timeoutMs, intervalMs: 200 },
  );
  return task!;
}

/** The published tree: path and blob id of every file at the default branch. */
const publishedTree = (bare: string) => execFileSync('git', ['--git-dir', bare, 'ls-tree', '-r', 'HEAD'], { encoding: 'utf8' }).trim();

describe.each(testDatabaseKinds())('durable scaffolder tasks across kill -9 (%s)', (kind: TestDatabaseKind) => {
  let root: string;
  let countDir: string;
  let pg: TestPostgresDatabase | undefined;
  const children: Child[] = [];
  let database: { client: 'pg' | 'pglite'; connection: string };

  beforeAll(async () => {
    root = await tempRoot();
    countDir = path.join(root, 'counts');
    await writeTree(root, durableTemplates());
    if (kind === 'postgres') {
      pg = await createTestPostgresDatabase();
      database = { client: 'pg', connection: pg.url };
    } else database = { client: 'pglite', connection: path.join(root, 'pglite') };
  }, 60_000);

  afterAll(async () => {
    for (const c of children) await c.stop().catch(() => undefined);
    await pg?.drop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  }, 60_000);

  const start = async (name: string) => {
    const child = await startChild({ root, countDir, dataDir: path.join(root, `data-${name}`), database });
    children.push(child);
    return child;
  };

  it('a backend killed during step 3 of 5 finishes the task after a restart: steps 1-2 are not run again, the result equals an uninterrupted run', async () => {
    const interruptedRepo = path.join(root, 'interrupted.git');
    const referenceRepo = path.join(root, 'reference.git');
    createBareRepo(interruptedRepo);
    createBareRepo(referenceRepo);

    const first = await start('a');
    await templatesLoaded(first);
    const created = await first.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      body: { templateRef: 'template:default/durable-five', values: { name: 'svc', remote: `file://${interruptedRepo}`, ms: 3000 } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await waitFor(async () => (await counted(countDir, `${id}-three`, 'started')) === 1, { timeoutMs: 60_000, message: 'step three never started' });
    await first.kill9();

    const second = await start('b');
    const task = await finished(second, id);
    expect(task.status, task.error).toBe('completed');
    // Steps 1, 2 and 4 ran once each; the slow step (idempotent) started twice and finished once.
    expect(await counted(countDir, `${id}-one`)).toBe(1);
    expect(await counted(countDir, `${id}-two`)).toBe(1);
    expect(await counted(countDir, `${id}-three`, 'started')).toBe(2);
    expect(await counted(countDir, `${id}-three`)).toBe(1);
    expect(await counted(countDir, `${id}-four`)).toBe(1);
    expect(task.steps?.map((s) => [s.id, s.status])).toEqual([
      ['one', 'completed'],
      ['two', 'completed'],
      ['three', 'completed'],
      ['four', 'completed'],
      ['five', 'completed'],
    ]);
    expect(task.steps?.find((s) => s.id === 'three')?.attempt).toBe(2);
    const events = (await second.json<SerializedTaskEvent[]>(`/api/scaffolder/v2/tasks/${id}/events`)).body;
    expect(events.filter((e) => /^Resuming task/.test(e.body.message))).toHaveLength(1);

    // The same template, uninterrupted, on the restarted backend.
    const ref = await second.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      body: { templateRef: 'template:default/durable-five', values: { name: 'svc', remote: `file://${referenceRepo}`, ms: 10 } },
    });
    const reference = await finished(second, ref.body.id);
    expect(reference.status, reference.error).toBe('completed');
    expect(task.output).toEqual(reference.output);
    expect(task.output).toEqual({ chain: 'svc-1-2-4' });
    // Same files, same contents (blob ids), restored from the snapshot of step 2 after the restart.
    expect(publishedTree(interruptedRepo)).toBe(publishedTree(referenceRepo));
    expect(publishedTree(interruptedRepo)).toMatch(/one\.txt[\s\S]*three\.txt[\s\S]*two\.txt/);
    // PGlite: one process per database directory; the next test starts its own.
    await second.stop();
  }, 420_000);

  it('a non-idempotent step cut off by kill -9 pauses the task as "needs attention" with its last log and is not re-run; skip continues the run', async () => {
    const first = await start('c');
    await templatesLoaded(first);
    const { body } = await first.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      body: { templateRef: 'template:default/durable-once', values: { ms: 60_000 } },
    });
    const id = body.id;
    await waitFor(async () => (await counted(countDir, `${id}-charge`, 'started')) === 1, { timeoutMs: 60_000, message: 'the charge step never started' });
    // The step logs just after it counts its start, and the log is stored a moment later: the kill
    // waits for it (it is the last log "needs attention" is asserted to show).
    await waitFor(async () => JSON.stringify((await first.json(`/api/scaffolder/v2/tasks/${id}/events`)).body).includes('charging the credit card'), {
      timeoutMs: 60_000,
      message: 'the charge step never logged',
    });
    await first.kill9();

    const second = await start('d');
    const paused = await finished(second, id, ['needs-attention']);
    expect(paused.attention?.stepId).toBe('charge');
    expect(paused.attention?.lastLog).toMatch(/charging the credit card/);
    expect(paused.steps?.find((s) => s.id === 'charge')?.status).toBe('needs-attention');
    // Not re-run on its own.
    expect(await counted(countDir, `${id}-charge`, 'started')).toBe(1);

    // Edited parameters need the template's consent (spec.retry.editParameters); a step other than where the task stopped is a conflict.
    const refused = await second.json<{ error: { message: string } }>(`/api/scaffolder/v2/tasks/${id}/steps/charge/retry`, {
      body: { parameters: { ms: 10 } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/spec.retry.editParameters/);
    const wrongStep = await second.json(`/api/scaffolder/v2/tasks/${id}/steps/last/retry`, { body: {} });
    expect(wrongStep.status).toBe(409);
    const skipped = await second.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}/steps/charge/skip`, { method: 'POST' });
    expect(skipped.status).toBe(200);
    const done = await finished(second, id);
    expect(done.status, done.error).toBe('completed');
    expect(done.steps?.map((s) => [s.id, s.status])).toEqual([
      ['first', 'completed'],
      ['charge', 'skipped'],
      ['last', 'completed'],
    ]);
    expect(await counted(countDir, `${id}-charge`, 'started')).toBe(1);
    expect(await counted(countDir, `${id}-first`)).toBe(1);
    expect(await counted(countDir, `${id}-last`)).toBe(1);
    // Retrying a step of a completed task is a conflict.
    expect((await second.json(`/api/scaffolder/v2/tasks/${id}/steps/charge/retry`, { body: {} })).status).toBe(409);
    await second.stop();
  }, 420_000);

  it('retry after "needs attention" runs the cut-off step exactly once', async () => {
    const first = await start('e');
    await templatesLoaded(first);
    const { body } = await first.json<{ id: string }>('/api/scaffolder/v2/tasks', {
      body: { templateRef: 'template:default/durable-once', values: { ms: 2500 } },
    });
    const id = body.id;
    await waitFor(async () => (await counted(countDir, `${id}-charge`, 'started')) === 1, { timeoutMs: 60_000, message: 'the charge step never started' });
    await first.kill9();
    const second = await start('f');
    await finished(second, id, ['needs-attention']);
    const retried = await second.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}/steps/charge/retry`, { body: {} });
    expect(retried.status).toBe(200);
    const done = await finished(second, id);
    expect(done.status, done.error).toBe('completed');
    expect(await counted(countDir, `${id}-charge`, 'started')).toBe(2);
    expect(await counted(countDir, `${id}-charge`)).toBe(1);
    expect(await counted(countDir, `${id}-first`)).toBe(1);
    expect(done.steps?.find((s) => s.id === 'charge')?.attempt).toBe(2);
    await second.stop();
  }, 420_000);

  it.skipIf(kind !== 'postgres')(
    'two replicas: a task interrupted on a third is resumed by exactly one of them',
    async () => {
      const repo = path.join(root, 'replicas.git');
      createBareRepo(repo);
      const first = await start('g');
      await templatesLoaded(first);
      const { body } = await first.json<{ id: string }>('/api/scaffolder/v2/tasks', {
        body: { templateRef: 'template:default/durable-five', values: { name: 'rep', remote: `file://${repo}`, ms: 1500 } },
      });
      const id = body.id;
      await waitFor(async () => (await counted(countDir, `${id}-three`, 'started')) === 1, { timeoutMs: 60_000, message: 'step three never started' });
      await first.kill9();
      // Both start at once and race for the expired lease.
      const [b, c] = await Promise.all([start('h'), start('i')]);
      const task = await finished(b, id);
      expect(task.status, task.error).toBe('completed');
      expect(await counted(countDir, `${id}-three`, 'started')).toBe(2);
      expect(await counted(countDir, `${id}-four`)).toBe(1);
      const events = (await c.json<SerializedTaskEvent[]>(`/api/scaffolder/v2/tasks/${id}/events`)).body;
      expect(events.filter((e) => /^Resuming task/.test(e.body.message))).toHaveLength(1);
      expect(events.filter((e) => e.type === 'completion')).toHaveLength(1);
    },
    240_000,
  );
});
