import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { coreServices, createServiceFactory, type Caller } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { notificationsPlugin } from '@atrium/plugin-notifications/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListTasksResponse, SerializedTask } from '../common/index.js';
import { scaffolderPlugin } from './plugin.js';
import { counted, durableTemplates, durableTestActionsPlugin } from './testing/durableActions.testing.js';
import { createBareRepo, freePort, tempRoot, writeTree } from './testing/fixtures.js';

const user = (name: string, groups: string[] = []): Caller => ({
  type: 'user',
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [`user:default/${name}`, ...groups],
  displayName: name,
});
const callers: Record<string, Caller> = {
  carol: user('carol', ['group:default/team-a']),
  alice: user('alice', ['group:default/approvers']),
  bob: user('bob', ['group:default/approvers']),
};

const template = (name: string, steps: string, extra = '') => `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: ${name} }
spec:
  type: service
${extra}  parameters:
    - properties:
        pr: { type: string }
        ms: { type: number }
  steps:
${steps}`;

const templates = {
  waits: template(
    'waits',
    `    - id: prepare
      action: test:count
      input: { file: a.txt, content: prepared }
    - id: ci
      action: wait:callback
      input:
        schema: { type: object, required: [buildId], properties: { buildId: { type: string, pattern: '^[0-9]+$' } } }
    - id: approve
      action: wait:approval
      input: { groups: [group:default/approvers], count: 2, remindEvery: PT1H }
    - id: merged
      action: wait:pull-request
      input: { url: '\${{ parameters.pr }}', pollInterval: 0.2, maxPollInterval: 0.5 }
    - id: later
      action: wait:until
      input: { duration: 0.5 }
    - id: done
      action: test:count
      input: { file: b.txt, content: '\${{ steps.ci.output.body.buildId }}' }
  output:
    build: '\${{ steps.ci.output.body.buildId }}'
    merge: '\${{ steps.merged.output.state }}'
`,
  ),
  'self-approval': template(
    'self-approval',
    `    - id: approve
      action: wait:approval
      input: { users: [user:default/carol, user:default/alice] }
`,
  ),
  compensate: template(
    'compensate',
    `    - id: a
      action: test:count
      input: { file: a.txt, content: a }
    - id: b
      action: test:count
      input: { file: b.txt, content: b }
    - id: hold
      action: wait:callback
`,
  ),
  'step-timeout': template(
    'step-timeout',
    `    - id: first
      action: test:count
      input: { file: a.txt, content: a }
    - id: slow
      action: test:slow
      timeout: 3
      input: { ms: '\${{ parameters.ms }}', file: s.txt }
`,
    '  retry: { editParameters: true }\n',
  ),
  'task-timeout': template(
    'task-timeout',
    `    - id: sleep
      action: wait:until
      input: { duration: PT1H }
`,
    '  timeout: PT1S\n',
  ),
  cycle: template(
    'cycle',
    `    - id: one
      action: test:count
      input: { file: a.txt, content: '\${{ steps.two.output.written }}' }
    - id: two
      action: test:count
      input: { file: b.txt, content: '\${{ steps.two.output.written }}' }
`,
  ),
  'unknown-wait': template(
    'unknown-wait',
    `    - id: forever
      action: wait:forever
`,
  ),
};

describe.each(testDatabaseKinds())('durable steps and waits (%s)', (database) => {
  let backend: TestBackend;
  let root: string;
  let countDir: string;
  let as: string = 'carol';

  beforeAll(async () => {
    root = await tempRoot();
    countDir = path.join(root, 'counts');
    await writeTree(root, durableTemplates(templates));
    const port = await freePort();
    backend = await startTestBackend({
      plugins: [catalogPlugin, notificationsPlugin, scaffolderPlugin, durableTestActionsPlugin(countDir)],
      database,
      config: {
        backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port, host: '127.0.0.1' } },
        catalog: { locations: [{ type: 'file', target: path.join(root, 'catalog.yaml') }], processingPollMs: 100, readers: { fileRoots: [root] } },
        scaffolder: { pollMs: 50, waitPollSeconds: 1, publish: { fileRoots: [root] } },
      },
      services: [createServiceFactory(coreServices.auth, () => ({ getCaller: async () => callers[as]!, serviceCaller: () => callers['carol']! }))],
    });
    await waitFor(async () => (await backend.json(`/api/scaffolder/v2/templates/default/template/unknown-wait/parameter-schema`)).status === 200, {
      timeoutMs: 60_000,
      message: 'templates not loaded',
    });
  }, 240_000);

  afterAll(async () => {
    await backend?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const api = <T>(p: string, init: { method?: string; body?: unknown; who?: string } = {}) => {
    as = init.who ?? 'carol';
    return backend.json<T>(p, {
      ...(init.method ? { method: init.method } : init.body !== undefined ? { method: 'POST' } : {}),
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  };
  const create = (name: string, values: Record<string, unknown> = {}) =>
    api<{ id: string; error?: { message: string; details?: { errors: Array<{ path: string; message: string }> } } }>('/api/scaffolder/v2/tasks', {
      body: { templateRef: `template:default/${name}`, values },
    });
  const getTask = async (id: string, who = 'carol') => (await api<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`, { who })).body;
  async function until(id: string, check: (t: SerializedTask) => boolean, message: string): Promise<SerializedTask> {
    let task: SerializedTask | undefined;
    await waitFor(
      async () => {
        task = await getTask(id);
        if (!check(task)) throw new Error(`${message}; task is ${JSON.stringify({ status: task.status, waitingOn: task.waitingOn, error: task.error })}`);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    return task!;
  }
  const waitingAt = (id: string, stepId: string) => until(id, (t) => t.status === 'waiting' && t.waitingOn?.stepId === stepId, `not waiting at ${stepId}`);
  const audited = async (action: string, target: string) => {
    const db = await backend.backend.database.forSchema('scaffolder');
    const rows = (await db.raw(`select actor, meta from atrium_host.audit_events where action = ? and target = ?`, [action, target])) as {
      rows: Array<{ actor: string }>;
    };
    return rows.rows.map((r) => r.actor);
  };

  it('runs callback, N-of-M approval, pull request and time waits to completion, holding no worker while waiting', async () => {
    const bare = path.join(root, 'pr.git');
    createBareRepo(bare);
    const work = path.join(root, 'pr-work');
    execFileSync('git', ['init', '--quiet', '-b', 'main', work]);
    const git = (...args: string[]) => execFileSync('git', ['-C', work, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { encoding: 'utf8' });
    git('commit', '--allow-empty', '-m', 'base');
    git('push', '--quiet', bare, 'main');
    git('checkout', '--quiet', '-b', 'feature');
    git('commit', '--allow-empty', '-m', 'change');
    git('push', '--quiet', bare, 'feature');

    const { body } = await create('waits', { pr: `file://${bare}?head=feature&base=main` });
    const id = body.id;
    const atCallback = await waitingAt(id, 'ci');
    expect(atCallback.waitingOn?.kind).toBe('callback');
    const callbackUrl = atCallback.waitingOn?.callbackUrl;
    expect(callbackUrl).toMatch(/\/api\/scaffolder\/v2\/tasks\/.+\/steps\/ci\/callback\?token=/);
    // Only the task's creator is shown the URL.
    expect((await getTask(id, 'alice')).waitingOn?.callbackUrl).toBeUndefined();
    const db = await backend.backend.database.forSchema('scaffolder');
    expect((await db('tasks').where({ id }).first('claimed_by', 'wake_at')).claimed_by).toBeNull();

    const post = (url: string, payload: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const tampered = callbackUrl!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await post(tampered, { buildId: '42' })).status).toBe(401);
    const otherStep = callbackUrl!.replace('/steps/ci/', '/steps/approve/');
    expect((await post(otherStep, { buildId: '42' })).status).toBe(401);
    const invalid = await post(callbackUrl!, { buildId: 'not-a-number' });
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as { error: { details: { errors: Array<{ path: string }> } } };
    expect(invalidBody.error.details.errors.map((e) => e.path)).toContain('body.buildId');
    expect((await getTask(id)).waitingOn?.stepId).toBe('ci');
    expect((await post(callbackUrl!, { buildId: '42' })).status).toBe(202);
    expect((await post(callbackUrl!, { buildId: '43' })).status).toBe(401);
    expect(await audited('scaffolder.task.callback', id)).toHaveLength(1);

    const atApproval = await waitingAt(id, 'approve');
    expect(atApproval.waitingOn).toMatchObject({ kind: 'approval', approvers: ['group:default/approvers'], required: 2 });
    const mine = await api<ListTasksResponse>('/api/scaffolder/v2/tasks?waitingForMe=true', { who: 'alice' });
    expect(mine.body.tasks.map((t) => t.id)).toContain(id);
    expect((await api<ListTasksResponse>('/api/scaffolder/v2/tasks?waitingForMe=true', { who: 'carol' })).body.tasks.map((t) => t.id)).not.toContain(id);
    const approve = (who: string) =>
      api<{ error?: { message: string } }>(`/api/scaffolder/v2/tasks/${id}/steps/approve/approval`, { who, body: { decision: 'approve' } });
    expect((await approve('carol')).status).toBe(403);
    expect((await approve('alice')).status).toBe(200);
    expect((await getTask(id)).waitingOn?.approvals?.map((a) => a.by)).toEqual(['user:default/alice']);
    expect((await approve('alice')).status).toBe(409);
    expect((await approve('bob')).status).toBe(200);
    expect(await audited('scaffolder.task.step.approve', id)).toEqual(expect.arrayContaining(['user:default/alice', 'user:default/bob']));

    const atPr = await waitingAt(id, 'merged');
    await until(id, (t) => t.waitingOn?.lastState === 'open', 'the pull request was not polled');
    expect(atPr.waitingOn?.pullRequestUrl).toContain('head=feature');
    // Merge it (fast-forward main to feature in the bare repository).
    execFileSync('git', ['--git-dir', bare, 'update-ref', 'refs/heads/main', 'refs/heads/feature']);

    const done = await until(id, (t) => ['completed', 'failed'].includes(t.status), 'the task did not finish');
    expect(done.status, done.error).toBe('completed');
    expect(done.output).toEqual({ build: '42', merge: 'merged' });
    expect(done.steps?.map((s) => [s.id, s.status])).toEqual(['prepare', 'ci', 'approve', 'merged', 'later', 'done'].map((s) => [s, 'completed']));
    expect(await counted(countDir, `${id}-prepare`)).toBe(1);
    // Approving a completed task's step is a conflict, and so is retrying one.
    expect((await approve('bob')).status).toBe(409);
    expect((await api(`/api/scaffolder/v2/tasks/${id}/steps/done/retry`, { body: {} })).status).toBe(409);
  }, 90_000);

  it('the task list counts exactly up to 1,000 matches and beyond says its total is a lower bound', async () => {
    const db = await backend.backend.database.forSchema('scaffolder');
    const who = 'user:default/many-runs';
    await db.raw(
      `insert into tasks (id, spec, status, template_ref, created_by, created_at)
       select gen_random_uuid(), '{"apiVersion":"scaffolder.backstage.io/v1beta3","steps":[],"output":{}}'::jsonb,
         case when n % 2 = 0 then 'cancelled' else 'failed' end, 'template:default/waits', ?, now() - n * interval '1 second'
       from generate_series(1, 1005) n`,
      [who],
    );
    const list = async (query: string) => (await api<ListTasksResponse>(`/api/scaffolder/v2/tasks?createdBy=${encodeURIComponent(who)}&${query}`)).body;
    const first = await list('limit=50');
    expect(first.tasks).toHaveLength(50);
    expect(first).toMatchObject({ totalTasks: 1000, totalTasksIsLowerBound: true });
    // Paging past the limit: the total is at least where this page ends.
    const last = await list('limit=50&offset=1000');
    expect(last.tasks).toHaveLength(5);
    expect(last).toMatchObject({ totalTasks: 1005, totalTasksIsLowerBound: true });
    // A page past the end claims no more runs than were counted (not "at least the offset").
    const beyond = await list('limit=50&offset=50000');
    expect(beyond.tasks).toHaveLength(0);
    expect(beyond).toMatchObject({ totalTasks: 1000, totalTasksIsLowerBound: true });
    // At or under the limit the count is exact and unflagged.
    const failed = await list('status=failed&limit=10');
    expect(failed.totalTasks).toBe(503);
    expect(failed.totalTasksIsLowerBound).toBeUndefined();
    await db('tasks')
      .whereIn('id', db('tasks').select('id').where({ created_by: who }).orderBy('created_at', 'asc').limit(5))
      .del();
    const exact = await list('limit=10');
    expect(exact.totalTasks).toBe(1000);
    expect(exact.totalTasksIsLowerBound).toBeUndefined();
    await db('tasks').where({ created_by: who }).del();
  });

  it('a requester cannot approve their own task unless the step allows it (403); another approver can', async () => {
    const { body } = await create('self-approval');
    await waitingAt(body.id, 'approve');
    const own = await api<{ error: { message: string } }>(`/api/scaffolder/v2/tasks/${body.id}/steps/approve/approval`, { body: { decision: 'approve' } });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toMatch(/cannot approve/);
    expect((await getTask(body.id)).status).toBe('waiting');
    expect(
      (await api(`/api/scaffolder/v2/tasks/${body.id}/steps/approve/approval`, { who: 'alice', body: { decision: 'reject', comment: 'no' } })).status,
    ).toBe(200);
    const t = await until(body.id, (x) => x.status === 'failed', 'not failed');
    expect(t.error).toMatch(/rejected by user:default\/alice: no/);
  });

  it('cancel with compensation undoes the completed steps in reverse order', async () => {
    const { body } = await create('compensate');
    await waitingAt(body.id, 'hold');
    const c = await api<{ status: string }>(`/api/scaffolder/v2/tasks/${body.id}/cancel`, { body: { compensate: true } });
    expect(c.status).toBe(200);
    const t = await until(body.id, (x) => x.status === 'cancelled', 'not cancelled');
    expect(await counted(countDir, `${body.id}-a`, 'undone')).toBe(1);
    expect(await counted(countDir, `${body.id}-b`, 'undone')).toBe(1);
    expect(
      t.steps
        ?.filter((s) => s.status === 'undone')
        .map((s) => s.id)
        .sort(),
    ).toEqual(['a', 'b']);
    const db = await backend.backend.database.forSchema('scaffolder');
    const undoOrder = (await db('task_events').where({ task_id: body.id }).orderBy('id').select('body')) as Array<{ body: { message: string } }>;
    const order = undoOrder.map((e) => e.body.message).filter((m) => /^Undoing step/.test(m));
    expect(order).toEqual(['Undoing step b (test:count)', 'Undoing step a (test:count)']);
    expect(await audited('scaffolder.task.cancel', body.id)).toHaveLength(1);
  });

  it('a step over its timeout fails the task naming the step; retry with edited parameters (allowed by the template) continues from it', async () => {
    const { body } = await create('step-timeout', { ms: 20_000 });
    const failed = await until(body.id, (t) => t.status === 'failed', 'not failed');
    expect(failed.error).toMatch(/Step "slow" timed out after 3 s \(its timeout 3\)/);
    const bad = await api<{ error: { details: { errors: Array<{ path: string }> } } }>(`/api/scaffolder/v2/tasks/${body.id}/steps/slow/retry`, {
      body: { parameters: { ms: 'fast' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.errors.map((e) => e.path)).toContain('values.ms');
    const retried = await api(`/api/scaffolder/v2/tasks/${body.id}/steps/slow/retry`, { body: { parameters: { ms: 10 } } });
    expect(retried.status).toBe(200);
    const done = await until(body.id, (t) => t.status === 'completed' || t.status === 'failed', 'not finished');
    expect(done.status, done.error).toBe('completed');
    expect(await counted(countDir, `${body.id}-first`)).toBe(1);
    expect(await audited('scaffolder.task.step.retry', body.id)).toHaveLength(1);
  });

  it('a task over its spec.timeout fails naming the step it was waiting in', async () => {
    const { body } = await create('task-timeout');
    const t = await until(body.id, (x) => x.status === 'failed', 'not failed');
    expect(t.error).toMatch(/timed out \(spec.timeout\) while waiting in step "sleep"/);
  });

  it('refuses templates with a step reference cycle or an unknown wait action, naming the field, file and line', async () => {
    const cycle = await create('cycle');
    expect(cycle.status).toBe(400);
    // cycle.yaml: the inputs of its two steps are at lines 13 and 16.
    const file = path.join(root, 'cycle.yaml');
    expect(cycle.body.error?.details?.errors).toEqual(
      expect.arrayContaining([
        { path: 'spec.steps[0].input', file, line: 13, message: `${file}:13: step "one" refers to steps.two, which runs after it (step 2): a reference cycle` },
        { path: 'spec.steps[1].input', file, line: 16, message: `${file}:16: step "two" refers to its own output (steps.two): a reference cycle` },
      ]),
    );
    expect(cycle.body.error?.message).toContain(`${file}:13:`);
    const unknown = await create('unknown-wait');
    expect(unknown.status).toBe(400);
    const unknownFile = path.join(root, 'unknown-wait.yaml');
    expect(unknown.body.error?.details?.errors).toEqual(
      expect.arrayContaining([
        { path: 'spec.steps[0].action', file: unknownFile, line: 12, message: expect.stringMatching(/:12: unknown wait action "wait:forever"/) },
      ]),
    );
  });
});
