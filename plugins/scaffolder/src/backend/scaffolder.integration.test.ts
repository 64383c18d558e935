import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { notificationsPlugin, type NotificationList } from '@atrium/plugin-notifications/backend';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListTasksResponse, SerializedTask, SerializedTaskEvent } from '../common/index.js';
import { scaffolderPlugin } from './plugin.js';
import { createBareRepo, fixtureFiles, freePort, tempRoot, writeTree } from './testing/fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDatabaseKinds())('scaffolder on %s', (database) => {
  let backend: TestBackend;
  let root: string;

  beforeAll(async () => {
    root = await tempRoot();
    await writeTree(root, fixtureFiles());
    await fs.symlink('/etc/hostname', path.join(root, 'evil-skeleton/link.txt'));
    const port = await freePort();
    backend = await startTestBackend({
      plugins: [catalogPlugin, notificationsPlugin, scaffolderPlugin],
      database,
      config: {
        backend: { baseUrl: `http://127.0.0.1:${port}`, listen: { port, host: '127.0.0.1' } },
        catalog: {
          locations: [{ type: 'file', target: path.join(root, 'catalog.yaml') }],
          processingPollMs: 100,
          readers: { fileRoots: [root] },
        },
        scaffolder: { pollMs: 50, stepTimeoutSeconds: 20, logs: { maxEventsPerTask: 100, maxMessageLength: 500 }, publish: { fileRoots: [root] } },
      },
    });
    // Wait for the catalog to load the fixture templates.
    for (let i = 0; i < 200; i++) {
      const r = await backend.json<{ items: unknown[] }>('/api/catalog/entities/by-query?filter=kind=template&limit=100');
      if (r.body.items?.length >= 15) break;
      await sleep(100);
    }
  });

  afterAll(async () => {
    await backend?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const create = (name: string, values: Record<string, unknown>, secrets?: Record<string, string>) =>
    backend.json<{ id?: string; error?: { message: string; details?: { errors: Array<{ path: string; message: string; stepId?: string }> } } }>(
      '/api/scaffolder/v2/tasks',
      {
        method: 'POST',
        body: { templateRef: `template:default/${name}`, values, ...(secrets ? { secrets } : {}) },
      },
    );

  async function waitFor(id: string, statuses: string[] = ['completed', 'failed', 'cancelled']): Promise<SerializedTask> {
    for (let i = 0; i < 600; i++) {
      const { body } = await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${id}`);
      if (statuses.includes(body.status)) return body;
      await sleep(50);
    }
    throw new Error(`task ${id} did not reach ${statuses.join('/')}`);
  }

  const events = async (id: string) => (await backend.json<SerializedTaskEvent[]>(`/api/scaffolder/v2/tasks/${id}/events`)).body;

  it('lists actions sorted by id with schemas', async () => {
    const { status, body } = await backend.json<Array<{ id: string; schema: { input?: object } }>>('/api/scaffolder/v2/actions');
    expect(status).toBe(200);
    const ids = body.map((a) => a.id);
    for (const id of [
      'fetch:plain',
      'fetch:plain:file',
      'fetch:template',
      'fs:rename',
      'fs:delete',
      'debug:log',
      'debug:wait',
      'catalog:register',
      'catalog:write',
      'catalog:fetch',
      'publish:git',
      'http:request',
      'notification:send',
      'publish:github',
    ]) {
      expect(ids).toContain(id);
    }
    expect([...ids].sort((a, b) => a.localeCompare(b))).toEqual(ids);
    expect(body.find((a) => a.id === 'publish:git')!.schema.input).toBeTruthy();
  });

  it('serves the parameter schema', async () => {
    const { status, body } = await backend.json<{ title: string; steps: Array<{ title: string; schema: { properties: object } }> }>(
      '/api/scaffolder/v2/templates/default/template/full-run/parameter-schema',
    );
    expect(status).toBe(200);
    expect(body.title).toBe('full-run');
    expect(body.steps[0]!.title).toBe('Basics');
    expect(body.steps[0]!.schema.properties).toHaveProperty('name');
    expect((await backend.json('/api/scaffolder/v2/templates/default/template/nope/parameter-schema')).status).toBe(404);
  });

  it('runs a template end to end: skeleton, publish to a bare repo, register, outputs, notification', async () => {
    const remote = createBareRepo(path.join(root, `remote-${database}.git`));
    const { status, body } = await create('full-run', { name: `svc-${database}`, owner: 'group:default/team-a', remote }, { token: 'sup3r-s3cret' });
    expect(status).toBe(201);
    const task = await waitFor(body.id!);
    const log = await events(body.id!);
    expect(task.error).toBeUndefined();
    expect(task.status).toBe('completed');
    const output = task.output as { links: Array<{ title: string; url?: string; entityRef?: string }>; text: Array<{ content: string }>; commit: string };
    expect(output.links).toEqual([
      { title: 'Repository', url: remote },
      { title: 'Open in catalog', entityRef: `component:default/svc-${database}` },
    ]);
    expect(output.text[0]!.content).toBe(`Created **svc-${database}**`);
    expect(output.commit).toMatch(/^[0-9a-f]{40}$/);

    // The pushed tree has the rendered skeleton.
    const files = execFileSync('git', ['--git-dir', path.join(root, `remote-${database}.git`), 'ls-tree', '-r', '--name-only', 'main'])
      .toString()
      .trim()
      .split('\n');
    expect(files.sort()).toEqual(['catalog-info.yaml', 'docs/notes.md', `raw/keep.txt`, `svc-${database}/index.js`].sort());
    const raw = execFileSync('git', ['--git-dir', path.join(root, `remote-${database}.git`), 'show', 'main:raw/keep.txt']).toString();
    expect(raw).toContain('${{ values.name }}');

    // Secrets are masked in the log and not kept.
    const messages = log.map((e) => e.body.message).join('\n');
    expect(messages).not.toContain('sup3r-s3cret');
    expect(messages).toContain('secret is ***');
    expect(messages).toContain('item a');
    expect(messages).toContain('item b');
    expect(log.some((e) => e.body.stepId === 'skipped' && e.body.status === 'skipped')).toBe(true);
    expect(log.at(-1)!.type).toBe('completion');

    // The new component is in the catalog.
    let found = 0;
    for (let i = 0; i < 100 && !found; i++) {
      const r = await backend.json(`/api/catalog/entities/by-name/component/default/svc-${database}`);
      if (r.status === 200) found = 1;
      else await sleep(100);
    }
    expect(found).toBe(1);

    // notification:send delivered through the notifications plugin, to the guest (its recipient).
    const notes = (await backend.json<NotificationList>('/api/notifications?source=scaffolder')).body.items;
    expect(notes.find((n) => n.title === `Created svc-${database}`)).toMatchObject({
      source: 'scaffolder',
      recipient: 'user:default/guest',
      topic: 'scaffolder.notification',
      link: `/create/tasks/${body.id}`,
    });
  });

  it('streams events over SSE in Backstage shape and closes after completion', async () => {
    const { body } = await create('unknown-action', { name: 'x' });
    expect(body.id).toBeUndefined();
    const ok = await create('approval-others', { name: 'x' });
    // Cancel it so its stream ends.
    await backend.json(`/api/scaffolder/v2/tasks/${ok.body.id}/cancel`, { method: 'POST', body: {} });
    const res = await backend.fetch(`/api/scaffolder/v2/tasks/${ok.body.id}/eventstream`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).toMatch(/event: log\ndata: \{"id":\d+,"taskId":"/);
    expect(text).toMatch(/event: cancelled\ndata: /);
  });

  it('rejects unknown actions and invalid step input before anything runs, naming the step and field', async () => {
    const unknown = await create('unknown-action', { name: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error!.message).toContain('steps.bad.action unknown action "acme:does-not-exist"');
    const bad = await create('bad-input', { name: 'x' });
    expect(bad.status).toBe(400);
    const errs = bad.body.error!.details!.errors;
    expect(errs.map((e) => e.path)).toEqual(expect.arrayContaining(['steps.rename.input.files.0.from', 'steps.rename.input.files.0.to']));
    const list = await backend.json<ListTasksResponse>('/api/scaffolder/v2/tasks?limit=500');
    expect(list.body.tasks.every((t) => !['template:default/unknown-action', 'template:default/bad-input'].includes(t.templateRef!))).toBe(true);
  });

  it('rejects parameters that fail the schema with field errors', async () => {
    const r = await create('full-run', { name: 'Not Valid!' });
    expect(r.status).toBe(400);
    expect(r.body.error!.details!.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'values.name' })]));
    const missing = await create('full-run', {});
    expect(missing.body.error!.details!.errors).toEqual([{ path: 'values.name', message: 'is required' }]);
    const badBody = await backend.json<{ error: { name: string } }>('/api/scaffolder/v2/tasks', { method: 'POST', body: { values: {} } });
    expect(badBody.status).toBe(400);
  });

  it('refuses sandbox escapes in expressions', async () => {
    const r = await create('escape', { name: 'x' });
    expect(r.status).toBe(400);
    expect(r.body.error!.message).toMatch(/not allowed/);
  });

  it('fails skeletons that leave the template folder or link outside it', async () => {
    const sym = await waitFor((await create('symlink', { name: 'x' })).body.id!);
    expect(sym.status).toBe('failed');
    expect(sym.error).toMatch(/symlink|outside/);
    const out = await waitFor((await create('outside', { name: 'x' })).body.id!);
    expect(out.status).toBe('failed');
    expect(out.error).toMatch(/outside the allowed file roots/);
  });

  it('fails clearly when the remote refuses the push', async () => {
    const dir = path.join(root, `refusing-${database}.git`);
    createBareRepo(dir);
    await fs.writeFile(path.join(dir, 'hooks/pre-receive'), '#!/bin/sh\necho "pushes are frozen" >&2\nexit 1\n', { mode: 0o755 });
    const t = await waitFor((await create('push-refused', { name: 'x', remote: `file://${dir}` })).body.id!);
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/publish:git failed to commit and push.*(pushes are frozen|rejected)/s);
    const escaped = await waitFor((await create('push-refused', { name: 'x', remote: 'file:///etc/x.git' })).body.id!);
    expect(escaped.error).toMatch(/outside the allowed roots/);
  });

  it('reports SaaS publishers as not configured', async () => {
    const t = await waitFor((await create('saas', { name: 'x' })).body.id!);
    expect(t.status).toBe('failed');
    expect(t.error).toMatch(/publish:github is not configured/);
  });

  it('cancels a running task', async () => {
    const { body } = await create('wait', { name: 'x' });
    await waitFor(body.id!, ['processing']);
    await sleep(200);
    const c = await backend.json<{ status: string }>(`/api/scaffolder/v2/tasks/${body.id}/cancel`, { method: 'POST', body: {} });
    expect(c.status).toBe(200);
    const t = await waitFor(body.id!);
    expect(t.status).toBe('cancelled');
  });

  it('bounds the log of a noisy task', async () => {
    const t = await waitFor((await create('noisy', { name: 'x' })).body.id!);
    expect(t.status).toBe('completed');
    const log = await backend.json<SerializedTaskEvent[]>(`/api/scaffolder/v2/tasks/${t.id}/events`);
    const lines = log.body.filter((e) => e.type === 'log' && !e.body.status);
    expect(lines.length).toBe(100);
    expect(lines.at(-1)!.body.message).toMatch(/Log limit of 100 lines reached/);
  });

  it('claims tasks under the replica id the host gives every plugin (ctx.instance), not one of its own', async () => {
    const t = await waitFor((await create('noisy', { name: 'claimed' })).body.id!);
    const db = await backend.backend.database.forSchema('scaffolder');
    const row = await db('tasks').where({ id: t.id }).first('claimed_by');
    expect(row?.claimed_by).toBe(backend.backend.replicaId);
  });

  it('waits for approval and records who decided, when the template lets the requester approve', async () => {
    const { body } = await create('approval-self', { name: 'x' });
    const waiting = await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${body.id}`);
    expect(waiting.body.status).toBe('awaiting-approval');
    const decided = await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${body.id}/approval`, {
      method: 'POST',
      body: { decision: 'approve', comment: 'ok' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.approval).toMatchObject({ decision: 'approved', decidedBy: 'user:default/guest', comment: 'ok' });
    expect((await waitFor(body.id!)).status).toBe('completed');

    const other = await create('approval-others', { name: 'x' });
    const denied = await backend.json(`/api/scaffolder/v2/tasks/${other.body.id}/approval`, { method: 'POST', body: { decision: 'approve' } });
    expect(denied.status).toBe(403);
  });

  it('does not take approver identity from catalog content: a registered `User guest` member of the approving group cannot approve', async () => {
    // org.yaml registers `User guest` with memberOf [approvers], and `approvers` lists guest as a member.
    const member = await backend.json<{ relations: Array<{ type: string; targetRef: string }> }>('/api/catalog/entities/by-name/user/default/guest');
    expect(member.body.relations).toEqual(expect.arrayContaining([{ type: 'memberOf', targetRef: 'group:default/approvers' }]));
    const { body } = await create('approval', { name: 'x' });
    const denied = await backend.json<{ error: { message: string } }>(`/api/scaffolder/v2/tasks/${body.id}/approval`, {
      method: 'POST',
      body: { decision: 'approve' },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/not one of the approvers/);
    expect((await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${body.id}`)).body.status).toBe('awaiting-approval');
  });

  it("refuses a requester's approval of their own task unless the template allows it; they may still reject it", async () => {
    const { body } = await create('approval-requester', { name: 'x' });
    const denied = await backend.json<{ error: { message: string } }>(`/api/scaffolder/v2/tasks/${body.id}/approval`, {
      method: 'POST',
      body: { decision: 'approve' },
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/requested this task and cannot approve it/);
    const rejected = await backend.json<SerializedTask>(`/api/scaffolder/v2/tasks/${body.id}/approval`, { method: 'POST', body: { decision: 'reject' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('cancelled');
  });

  it('starts over with the same values', async () => {
    const first = await waitFor((await create('noisy', { name: 'again' })).body.id!);
    const r = await backend.json<{ id: string }>(`/api/scaffolder/v2/tasks/${first.id}/retry`, { method: 'POST', body: {} });
    expect(r.status).toBe(201);
    const second = await waitFor(r.body.id);
    expect(second.retryOf).toBe(first.id);
    expect(second.spec.parameters).toEqual({ name: 'again' });
    // Starting over is a mutation like a first run: audited, naming the task it repeats.
    const db = await backend.backend.database.forSchema('scaffolder');
    let row: { action: string; target: string; actor: string } | undefined;
    for (let i = 0; i < 100 && !row; i++) {
      row = await db
        .withSchema('atrium_host')
        .table('audit_events')
        .where({ action: 'scaffolder.task.retry', target: r.body.id })
        .first('action', 'target', 'actor');
      if (!row) await sleep(50);
    }
    expect(row).toMatchObject({ action: 'scaffolder.task.retry', target: r.body.id });
  });

  it('lists day-2 templates for matching entities and runs them with the entity', async () => {
    const r = await backend.json<{ items: Array<{ templateRef: string; parameter: string }> }>(
      '/api/scaffolder/v2/entity-actions?entityRef=component:default/existing-svc',
    );
    expect(r.body.items).toEqual([expect.objectContaining({ templateRef: 'template:default/day2', parameter: 'entity' })]);
    const none = await backend.json<{ items: unknown[] }>('/api/scaffolder/v2/entity-actions?entityRef=group:default/team-a');
    expect(none.body.items).toEqual([]);
    const t = await waitFor((await create('day2', { entity: 'component:default/existing-svc' })).body.id!);
    expect(t.status).toBe('completed');
    expect((await events(t.id)).map((e) => e.body.message)).toContain('owner group:default/team-a');
  });

  describe('dry runs read files only from where the catalog read the template', () => {
    type DryRun = { log: Array<{ body: { message: string; status?: string } }>; directoryContents: Array<{ path: string; base64Content: string }> };
    const dryRun = (template: object, extra: object = {}) =>
      backend.json<DryRun>('/api/scaffolder/v2/dry-run', { method: 'POST', body: { template, values: {}, ...extra } });
    const template = (name: string, annotations: Record<string, string>, steps: object[]) => ({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name, annotations },
      spec: { type: 'service', steps },
    });
    const passwd = (r: { body: unknown }) =>
      JSON.stringify(r.body).includes('root:x:0:0') || JSON.stringify(r.body).includes(Buffer.from('root:x:0:0').toString('base64').slice(0, 12));

    it('ignores a caller-supplied managed-by-location: the file:/x + fetch:plain:file /etc/passwd payload reads nothing', async () => {
      const r = await dryRun(
        template('probe', { 'backstage.io/managed-by-location': 'file:/x' }, [
          { id: 'read', action: 'fetch:plain:file', input: { url: '/etc/passwd', targetPath: 'passwd' } },
        ]),
      );
      expect(r.status).toBe(200);
      expect(r.body.directoryContents).toEqual([]);
      expect(r.body.log.find((l) => l.body.status === 'failed')!.body.message).toMatch(/outside the allowed file roots/);
      expect(passwd(r)).toBe(false);
      for (const url of ['./etc/passwd', '../etc/passwd', 'file:///etc/passwd', '/etc/../etc/passwd']) {
        const again = await dryRun(
          template('probe', { 'backstage.io/managed-by-location': 'file:/x', 'backstage.io/managed-by-origin-location': 'file:/x' }, [
            { id: 'read', action: 'fetch:plain:file', input: { url, targetPath: 'passwd' } },
          ]),
        );
        expect(again.body.directoryContents, url).toEqual([]);
        expect(
          again.body.log.some((l) => l.body.status === 'failed'),
          url,
        ).toBe(true);
        expect(passwd(again), url).toBe(false);
      }
    });

    it('ignores an annotation naming a real folder, and one borrowed from another template', async () => {
      const r = await dryRun(
        template('not-stored', { 'backstage.io/managed-by-location': `file:${root}/templates.yaml` }, [
          { id: 'fetch', action: 'fetch:plain', input: { url: './skeleton' } },
        ]),
      );
      expect(r.body.directoryContents).toEqual([]);
      expect(r.body.log.find((l) => l.body.status === 'failed')!.body.message).toMatch(/no known location/);
    });

    it('an edited template reads its files from the stored template it edits', async () => {
      const r = await dryRun(
        template('full-run', { 'backstage.io/managed-by-location': 'file:/' }, [
          { id: 'fetch', action: 'fetch:template', input: { url: './skeleton', values: { name: 'edited', owner: 'group:default/team-a' } } },
          { id: 'escape', action: 'fetch:plain:file', input: { url: '../../../../../../etc/passwd', targetPath: 'passwd' } },
        ]),
      );
      expect(r.body.directoryContents.map((f) => f.path)).toContain('catalog-info.yaml');
      expect(r.body.log.find((l) => l.body.status === 'failed')!.body.message).toMatch(/Step escape failed: .*outside the allowed file roots/);
      expect(passwd(r)).toBe(false);
    });

    it('a template sent with its files reads only those', async () => {
      const r = await dryRun(
        template('with-files', { 'backstage.io/managed-by-location': 'file:/etc/x' }, [
          { id: 'ok', action: 'fetch:plain:file', input: { url: './a.txt', targetPath: 'a.txt' } },
          { id: 'escape', action: 'fetch:plain:file', input: { url: './passwd', targetPath: 'passwd' } },
        ]),
        { directoryContents: [{ path: 'a.txt', base64Content: Buffer.from('hello').toString('base64') }] },
      );
      expect(r.body.directoryContents.map((f) => f.path)).toEqual(['a.txt']);
      expect(passwd(r)).toBe(false);
    });
  });

  it('serves output links with javascript:/data: URLs without the URL, and HTML in output text as inert JSON text', async () => {
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const res = await backend.fetch('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'links' },
          spec: {
            steps: [{ id: 'l', action: 'debug:log', input: { message: 'x' } }],
            output: {
              links: [
                { title: 'Script', url: 'javascript:alert(document.cookie)' },
                { title: 'Data', url: "${{ 'data:text/html,' + '<script>alert(1)</script>' }}" },
                { title: 'Tab', url: 'java\tscript:alert(1)' },
                { title: 'Fine', url: 'https://example.com/x' },
              ],
              text: [{ title: 'Note', content: html }],
            },
          },
        },
        values: {},
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { output: { links: Array<{ title: string; url?: string }>; text: Array<{ content: string }> } };
    expect(body.output.links).toEqual([{ title: 'Script' }, { title: 'Data' }, { title: 'Tab' }, { title: 'Fine', url: 'https://example.com/x' }]);
    expect(body.output.text[0]!.content).toBe(html);
  });

  it('stops a dry run whose template loops without bound, answering /healthz meanwhile', async () => {
    // The ~200-byte payload of the security report: three nested loops over range(10000).
    const loops = '{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}${{ c }}{% endfor %}{% endfor %}{% endfor %}';
    const pending = backend.json<{ log: Array<{ body: { message: string; status?: string } }> }>('/api/scaffolder/v2/dry-run', {
      method: 'POST',
      body: {
        template: {
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'loops' },
          spec: { steps: [{ id: 'l', action: 'debug:log', input: { message: loops } }] },
        },
        values: {},
      },
    });
    const health = await backend.fetch('/healthz');
    expect(health.status).toBe(200);
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.body.log.find((l) => l.body.status === 'failed')!.body.message).toMatch(/Step l failed: Template too expensive/);
    expect((await backend.fetch('/healthz')).status).toBe(200);
  });

  it('lists tasks (mine / by status)', async () => {
    const mine = await backend.json<ListTasksResponse>('/api/scaffolder/v2/tasks?owned=true&limit=5&order=desc:created_at');
    expect(mine.status).toBe(200);
    expect(mine.body.tasks.length).toBe(5);
    expect(mine.body.totalTasks).toBeGreaterThan(5);
    const failed = await backend.json<ListTasksResponse>('/api/scaffolder/v2/tasks?status=failed');
    expect(failed.body.tasks.every((t) => t.status === 'failed')).toBe(true);
    expect((await backend.json('/api/scaffolder/v2/tasks?limit=0')).status).toBe(400);
    expect((await backend.json('/api/scaffolder/v2/tasks/not-a-uuid')).status).toBe(404);
    const either = await backend.json<ListTasksResponse>('/api/scaffolder/v2/tasks?status=failed,cancelled&order=asc:status,desc:created_at');
    expect(either.status).toBe(200);
    expect(either.body.tasks.every((t) => ['failed', 'cancelled'].includes(t.status))).toBe(true);
  });

  it('declared route schemas: a 400 lists each bad field (query, body) in details.errors', async () => {
    type Err = { error: { details?: { errors: Array<{ path: string; message: string }> } } };
    const paths = async (url: string, init?: { method: string; body: unknown }) => {
      const r = await backend.json<Err>(`/api/scaffolder${url}`, init);
      expect(r.status, url).toBe(400);
      return (r.body.error.details?.errors ?? []).map((e) => e.path).sort();
    };
    expect(await paths('/v2/tasks?limit=0&status=bogus&order=sideways')).toEqual(['query.limit', 'query.order.0', 'query.status.0']);
    expect(await paths('/v2/tasks?status=failed,bogus')).toEqual(['query.status.0']);
    expect(await paths('/v2/tasks/any/events?after=-1')).toEqual(['query.after']);
    expect(await paths('/v2/tasks/any/eventstream?after=x')).toEqual(['query.after']);
    expect(await paths('/v2/tasks', { method: 'POST', body: { values: [], extra: 1 } })).toEqual(['body.extra', 'body.templateRef', 'body.values']);
    expect(await paths('/v2/tasks/any/approval', { method: 'POST', body: { decision: 'maybe' } })).toEqual(['body.decision']);
    expect(await paths('/v2/tasks/any/retry', { method: 'POST', body: { secrets: { token: 1 } } })).toEqual(['body.secrets.token']);
    expect(await paths('/v2/dry-run', { method: 'POST', body: { values: {} } })).toEqual(['body.template']);
    expect(await paths('/v2/entity-actions')).toEqual(['query.entityRef']);
    expect(await paths('/v2/entity-actions?entityRef=%3A%3A')).toEqual(['query.entityRef']);
  });
});
