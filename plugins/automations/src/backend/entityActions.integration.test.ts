import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createServiceFactory, type AuditEvent } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { scaffolderPlugin } from '@atrium/plugin-scaffolder/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationRun, AutomationSummary, DeliveryView, DryRunResult } from '../common/index.js';
import { automationKinds } from './config.js';
import { automationsPlugin } from './plugin.js';
import { automationsServiceRef } from './service.js';
import { probePlugin } from './testing/probePlugin.js';

const yamlDocs = (...docs: object[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n');
const template = (name: string, steps: object[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name },
  spec: {
    type: 'service',
    parameters: [{ required: ['name'], properties: { name: { type: 'string', minLength: 1 } } }],
    steps,
  },
});
const withApproval = (t: ReturnType<typeof template>, approvers: string[]) => ({ ...t, spec: { ...t.spec, approval: { approvers } } });
const alpha = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'alpha', annotations: { 'example.com/tier': 'gold' } },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};
const emitDone = (target: string) => [{ type: 'emit', event: 'probe.loop', payload: { target } }];
/** Annotated by an automation on its own updates: a loop the hop count must stop. */
const loopy = { ...alpha, metadata: { name: 'loopy' } };

interface TaskView {
  id: string;
  status: string;
  createdBy?: string;
  templateRef: string;
}

describe.each(testDatabaseKinds())('automations: annotate and scaffolder actions, scaffolder task outcomes (%s)', (database) => {
  let dir: string;
  let backend: TestBackend;
  const audited: AuditEvent[] = [];
  const api = <T = unknown>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/automations${p}`, init);
  const runs = async (id: string) => (await api<{ automation: AutomationSummary; runs: AutomationRun[] }>(`/automations/${id}?limit=200`)).body.runs;
  const ping = (payload: Record<string, unknown>) => backend.backend.service(automationsServiceRef).emit('probe.ping', { payload });
  /** The settled run of an automation for the ping whose payload has this `n`. */
  const settledRun = (id: string, n: number) =>
    waitFor(
      async () =>
        (await runs(id)).find(
          (r) => (r.event.payload as { n?: number } | undefined)?.n === n && r.status !== 'running' && r.deliveries?.every((d) => d.status !== 'pending'),
        ) ?? false,
      { timeoutMs: 30_000 },
    );
  const tasksOfAutomations = async () =>
    (await backend.json<{ tasks: TaskView[] }>('/api/scaffolder/v2/tasks?createdBy=plugin:automations&limit=500')).body.tasks;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-automation-actions-'));
    fs.writeFileSync(
      path.join(dir, 'catalog.yaml'),
      yamlDocs(
        alpha,
        loopy,
        template('hello', [{ id: 'log', name: 'Say hello', action: 'debug:log', input: { message: 'hello ${{ parameters.name }}' } }]),
        // Valid when checked, fails when run: debug:wait refuses more than 10 minutes.
        template('doomed', [{ id: 'wait', name: 'Wait too long', action: 'debug:wait', input: { minutes: 11 } }]),
        // Waits for an approval by the test's user (who may reject their own task, not approve it).
        withApproval(template('gated', [{ id: 'log', name: 'Say hello', action: 'debug:log', input: { message: 'approved' } }]), ['user:default/guest']),
        template('slow', [{ id: 'wait', name: 'Wait a while', action: 'debug:wait', input: { minutes: 5 } }]),
      ),
    );
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, scaffolderPlugin, automationsPlugin, probePlugin],
      services: [createServiceFactory(coreServices.audit, () => ({ record: (event) => void audited.push(event) }))],
      configDir: dir,
      config: {
        catalog: { processingPollMs: 50, readers: { fileRoots: [dir] }, kinds: automationKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
        scaffolder: { pollMs: 50 },
        automations: {
          pollIntervalMs: 50,
          backoffBaseMs: 20,
          backoffMaxMs: 100,
          maxHops: 3,
          rules: [
            {
              // Each run changes loopy again (a new value every time), whose update runs it again.
              id: 'self-annotate',
              trigger: { type: 'entity.updated' },
              condition: 'event.entityRef == "component:default/loopy"',
              actions: [{ type: 'annotate', annotations: { 'example.com/seen': 'event {{ event.id }}' } }],
            },
            {
              id: 'tier',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "annotate"',
              actions: [{ type: 'annotate', entityRef: '{{ event.payload.ref }}', annotations: { 'example.com/tier': '{{ event.payload.tier }}' } }],
            },
            {
              id: 'hello',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "hello"',
              actions: [{ type: 'scaffolder', template: 'hello', values: { name: '{{ event.payload.name }}' } }],
            },
            {
              id: 'doomed',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "doomed"',
              actions: [{ type: 'scaffolder', template: 'template:default/doomed', values: { name: 'x' } }],
            },
            { id: 'on-success', trigger: { type: 'scaffolder.task.succeeded' }, actions: emitDone('success') },
            { id: 'on-failure', trigger: { type: 'scaffolder.task.failed' }, actions: emitDone('failure') },
            { id: 'on-cancelled', trigger: { type: 'scaffolder.task.cancelled' }, actions: emitDone('cancelled') },
            { id: 'on-rejected', trigger: { type: 'scaffolder.task.rejected' }, actions: emitDone('rejected') },
            { id: 'annotate-nothing', trigger: { type: 'probe.ping' }, actions: [{ type: 'annotate', labels: {} }] },
            { id: 'annotate-bad-key', trigger: { type: 'probe.ping' }, actions: [{ type: 'annotate', labels: { 'not a key!': 'x' } }] },
            { id: 'templated-template', trigger: { type: 'probe.ping' }, actions: [{ type: 'scaffolder', template: '{{ event.payload.t }}' }] },
          ],
        },
      },
    });
    for (const name of ['doomed', 'gated', 'slow'])
      await waitFor(async () => (await backend.json(`/api/catalog/entities/by-name/template/default/${name}`)).status === 200, { timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts both actions, and refuses definitions that change nothing, bad keys and a templated template', async () => {
    const { body } = await api<{ items: AutomationSummary[] }>('/automations');
    const byId = new Map(body.items.map((a) => [a.id, a]));
    expect(byId.get('tier')).toMatchObject({ enabled: true, errors: [] });
    expect(byId.get('hello')).toMatchObject({ enabled: true, errors: [], actions: [{ type: 'scaffolder', target: 'hello' }] });
    expect(byId.get('annotate-nothing')?.errors.join(' ')).toMatch(/actions\[0\]: annotate changes nothing/);
    expect(byId.get('annotate-bad-key')?.errors.join(' ')).toMatch(/spec\.actions\.0\.labels/);
    expect(byId.get('annotate-bad-key')?.enabled).toBe(false);
    expect(byId.get('templated-template')?.errors.join(' ')).toMatch(/template is a fixed Template ref/);
  });

  it("annotate: writes through the catalog's metadata overlay, audited; a change already in place writes nothing; a key the descriptor sets is refused naming the file", async () => {
    const hello = async () => (await backend.json<typeof alpha>('/api/catalog/entities/by-name/template/default/hello')).body;
    // A dry run checks the write and writes nothing.
    const dry = await api<DryRunResult>('/automations/tier/test', {
      method: 'POST',
      body: { event: { payload: { target: 'annotate', ref: 'template:default/hello', tier: 'bronze' } } },
    });
    expect(dry.body.actions[0]).not.toHaveProperty('error');
    expect((await hello()).metadata.annotations).not.toHaveProperty('example.com/tier');

    await ping({ target: 'annotate', ref: 'component:default/alpha', tier: 'gold', n: 1 });
    await ping({ target: 'annotate', ref: 'component:default/alpha', tier: 'silver', n: 2 });
    await ping({ target: 'annotate', ref: 'component:default/missing', tier: 'gold', n: 3 });
    await ping({ target: 'annotate', ref: 'template:default/hello', tier: 'silver', n: 4 });
    const same = await settledRun('tier', 1);
    expect(same.status).toBe('succeeded');
    // The descriptor of alpha sets the key: the source wins, and the refusal names the file.
    const refused = await settledRun('tier', 2);
    expect(refused.status).toBe('failed');
    const delivery = refused.deliveries![0] as DeliveryView;
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, actionType: 'annotate' });
    expect(delivery.lastError).toMatch(
      /not annotated: component:default\/alpha: annotation example\.com\/tier is set to "gold" by the source\. .*read from file:.*catalog\.yaml, a descriptor file/,
    );
    expect(delivery.request).toMatchObject({ body: { entityRef: 'component:default/alpha', set: { annotations: { 'example.com/tier': 'silver' } } } });
    expect((await settledRun('tier', 3)).deliveries![0]!.lastError).toMatch(/component:default\/missing is not in the catalog/);
    const stillGold = (await backend.json<typeof alpha>('/api/catalog/entities/by-name/component/default/alpha')).body;
    expect(stillGold.metadata.annotations['example.com/tier']).toBe('gold');

    // hello's descriptor does not set it: the overlay of automation:tier does, and the entity shows it.
    expect((await settledRun('tier', 4)).status).toBe('succeeded');
    expect((await hello()).metadata.annotations['example.com/tier']).toBe('silver');
    const history = await backend.json<{ items: Array<{ topic: string; changes?: Array<{ path: string[]; new?: unknown }> }> }>(
      '/api/catalog/entities/by-name/template/default/hello/history',
    );
    expect(history.body.items.find((i) => i.topic === 'catalog.entity.updated')?.changes).toEqual(
      expect.arrayContaining([{ path: ['metadata', 'annotations', 'example.com/tier'], new: 'silver' }]),
    );
    // It survives a re-read of the descriptor.
    expect((await backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'template:default/hello' } })).status).toBe(200);
    expect((await hello()).metadata.annotations['example.com/tier']).toBe('silver');

    const audit = audited.filter((a) => a.action === 'automations.entity.annotate' && a.target === 'component:default/alpha');
    expect(audit.map((a) => a.outcome)).toEqual(expect.arrayContaining(['succeeded', 'failed']));
    expect(audit.every((a) => a.actor.userEntityRef === 'plugin:automations')).toBe(true);
    const written = audited.filter((a) => a.action === 'catalog.overlay.update' && a.target === 'template:default/hello');
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      actor: { userEntityRef: 'plugin:automations' },
      outcome: 'succeeded',
      meta: { source: 'automation:tier' },
      after: { annotations: { 'example.com/tier': 'silver' }, labels: {} },
    });
    expect(audited.some((a) => a.action === 'catalog.overlay.update' && a.target === 'component:default/alpha')).toBe(false);
  });

  it('annotate: an automation that annotates the entity whose update triggers it is stopped after maxHops', async () => {
    // Start the loop: a first overlay change on loopy (hop 0, as a person or plugin would make it).
    const catalog = await backend.json('/api/catalog/entities/by-name/component/default/loopy/overlay', {
      method: 'POST',
      body: { annotations: { 'example.com/seen': 'start' } },
    });
    expect(catalog.status).toBe(200);
    const stopped = await waitFor(async () => (await runs('self-annotate')).find((r) => r.status === 'loop-stopped') ?? false, { timeoutMs: 30_000 });
    expect(stopped.reason).toMatch(/automations.maxHops is 3/);
    expect(stopped.event.hop).toBe(4);
    // Hops 0..3 each annotated once; the update at hop 4 ran nothing, so nothing follows it.
    await new Promise((r) => setTimeout(r, 500));
    const all = await runs('self-annotate');
    expect(
      all
        .filter((r) => r.status === 'succeeded')
        .map((r) => r.event.hop)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(all.filter((r) => r.status === 'loop-stopped')).toHaveLength(1);
  });

  it('dry run: shows the rendered request and why it would fail, creating nothing', async () => {
    const before = (await tasksOfAutomations()).length;
    const annotate = await api<DryRunResult>('/automations/tier/test', {
      method: 'POST',
      body: { event: { payload: { target: 'annotate', ref: 'component:default/alpha', tier: 'bronze' } } },
    });
    expect(annotate.body.matched).toBe(true);
    expect(annotate.body.actions[0]!.error).toMatch(/descriptor file/);
    const ok = await api<DryRunResult>('/automations/hello/test', { method: 'POST', body: { event: { payload: { target: 'hello', name: 'dry' } } } });
    expect(ok.body).toEqual({
      matched: true,
      actions: [{ type: 'scaffolder', request: { templateRef: 'template:default/hello', values: { name: 'dry' }, hop: 1 } }],
    });
    const bad = await api<DryRunResult>('/automations/hello/test', { method: 'POST', body: { event: { payload: { target: 'hello', name: '' } } } });
    expect(bad.body.actions[0]!.error).toMatch(/template:default\/hello: Invalid template parameters: .*name/);
    expect((await tasksOfAutomations()).length).toBe(before);
  });

  it('scaffolder: runs the template as plugin:automations, records the task id, once per delivery even when re-delivered', async () => {
    await ping({ target: 'hello', name: 'world', n: 10 });
    const run = await settledRun('hello', 10);
    expect(run.status).toBe('succeeded');
    const delivery = run.deliveries![0]!;
    const taskId = (JSON.parse(delivery.history.at(-1)!.response!) as { taskId: string }).taskId;
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    const task = await waitFor(async () => {
      const t = (await backend.json<TaskView>(`/api/scaffolder/v2/tasks/${taskId}`)).body;
      return t.status === 'completed' ? t : false;
    });
    expect(task).toMatchObject({ createdBy: 'plugin:automations', templateRef: 'template:default/hello' });
    expect(audited.some((a) => a.action === 'automations.scaffolder.run' && a.target === taskId)).toBe(true);
    expect(audited.some((a) => a.action === 'scaffolder.task.create' && a.target === taskId && a.actor.userEntityRef === 'plugin:automations')).toBe(true);

    // Re-delivery sends the same idempotency key: the scaffolder answers the same task.
    expect((await api(`/deliveries/${delivery.id}/redeliver`, { method: 'POST' })).status).toBe(200);
    const again = await waitFor(async () => {
      const d = (await api<DeliveryView>(`/deliveries/${delivery.id}`)).body;
      return d.status === 'succeeded' && d.history.length === 2 ? d : false;
    });
    expect(JSON.parse(again.history.at(-1)!.response!)).toEqual({ taskId, existed: true });
    expect((await tasksOfAutomations()).filter((t) => t.templateRef === 'template:default/hello')).toHaveLength(1);
  });

  it('scaffolder: values that fail the template fail the run with the reason, without retries', async () => {
    await ping({ target: 'hello', name: '', n: 11 });
    const run = await settledRun('hello', 11);
    expect(run.status).toBe('failed');
    expect(run.deliveries![0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(run.deliveries![0]!.lastError).toMatch(/Invalid template parameters: .*name/);
  });

  it('task outcomes reach the event log: completed and failed trigger automations, with the hop carried on', async () => {
    await ping({ target: 'doomed', n: 20 });
    const started = await settledRun('doomed', 20);
    const doomedTask = (JSON.parse(started.deliveries![0]!.history.at(-1)!.response!) as { taskId: string }).taskId;
    const failed = await waitFor(async () => (await runs('on-failure')).find((r) => (r.event.payload as { taskId?: string }).taskId === doomedTask) ?? false, {
      timeoutMs: 30_000,
    });
    expect(failed.event).toMatchObject({ type: 'scaffolder.task.failed', hop: 1, payload: { status: 'failed', templateRef: 'template:default/doomed' } });
    expect(failed.event.id).toMatch(/^log:\d+$/);
    expect((failed.event.payload as { error: string }).error).toMatch(/10 minute/);

    const succeeded = await waitFor(
      async () => (await runs('on-success')).find((r) => (r.event.payload as { status?: string }).status === 'completed') ?? false,
      {
        timeoutMs: 30_000,
      },
    );
    expect(succeeded.event).toMatchObject({
      type: 'scaffolder.task.succeeded',
      hop: 1,
      payload: { templateRef: 'template:default/hello', createdBy: 'plugin:automations' },
    });
    // One run per outcome event.
    expect((await runs('on-failure')).filter((r) => (r.event.payload as { taskId?: string }).taskId === doomedTask)).toHaveLength(1);
  });

  it('task cancellations and rejections reach the event log and trigger automations', async () => {
    const task = async (id: string) => (await backend.json<TaskView>(`/api/scaffolder/v2/tasks/${id}`)).body;
    const create = async (name: string) => {
      const r = await backend.json<{ id: string }>('/api/scaffolder/v2/tasks', {
        method: 'POST',
        body: { templateRef: `template:default/${name}`, values: { name: 'x' } },
      });
      expect(r.status).toBe(201);
      return r.body.id;
    };
    const cancel = (id: string) => backend.json<{ status: string }>(`/api/scaffolder/v2/tasks/${id}/cancel`, { method: 'POST', body: {} });
    const runFor = (automation: string, taskId: string) =>
      waitFor(async () => (await runs(automation)).find((r) => (r.event.payload as { taskId?: string }).taskId === taskId) ?? false, { timeoutMs: 30_000 });

    // Rejected: the requester rejects their own task; it ends cancelled, and the event says rejected.
    const rejectedId = await create('gated');
    expect((await task(rejectedId)).status).toBe('awaiting-approval');
    const decided = await backend.json<TaskView>(`/api/scaffolder/v2/tasks/${rejectedId}/approval`, {
      method: 'POST',
      body: { decision: 'reject', comment: 'not now' },
    });
    expect(decided.body.status).toBe('cancelled');
    const rejected = await runFor('on-rejected', rejectedId);
    expect(rejected.event).toMatchObject({
      type: 'scaffolder.task.rejected',
      hop: 0,
      payload: {
        status: 'rejected',
        templateRef: 'template:default/gated',
        decidedBy: 'user:default/guest',
        reason: 'Rejected by user:default/guest: not now',
      },
    });
    expect(rejected.event.id).toMatch(/^log:\d+$/);

    // Cancelled before it ran (awaiting approval): the store cancels it at once.
    const idleId = await create('gated');
    expect((await cancel(idleId)).body.status).toBe('cancelled');
    const idle = await runFor('on-cancelled', idleId);
    expect(idle.event).toMatchObject({
      type: 'scaffolder.task.cancelled',
      payload: { status: 'cancelled', templateRef: 'template:default/gated', reason: 'Cancelled while awaiting-approval' },
    });

    // Cancelled while running: its worker stops it and records the outcome.
    const slowId = await create('slow');
    await waitFor(async () => (await task(slowId)).status === 'processing', { timeoutMs: 30_000 });
    expect((await cancel(slowId)).status).toBe(200);
    const running = await runFor('on-cancelled', slowId);
    expect(running.event).toMatchObject({
      type: 'scaffolder.task.cancelled',
      payload: { status: 'cancelled', templateRef: 'template:default/slow', reason: 'The task was cancelled' },
    });
    expect((await task(slowId)).status).toBe('cancelled');

    // One event per outcome, in log order: by now every earlier event has been followed, and a
    // rejection was not also a cancellation (or a failure).
    const cancelledRuns = await runs('on-cancelled');
    expect(cancelledRuns.filter((r) => (r.event.payload as { taskId?: string }).taskId === rejectedId)).toHaveLength(0);
    expect(cancelledRuns.filter((r) => [idleId, slowId].includes((r.event.payload as { taskId: string }).taskId))).toHaveLength(2);
    expect((await runs('on-failure')).some((r) => [rejectedId, idleId, slowId].includes((r.event.payload as { taskId: string }).taskId))).toBe(false);
    expect((await runs('on-rejected')).filter((r) => (r.event.payload as { taskId?: string }).taskId === rejectedId)).toHaveLength(1);
  });
});
