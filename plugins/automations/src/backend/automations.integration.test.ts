import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createServiceFactory, type AuditEvent } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { notificationsPlugin, type NotificationList } from '@atrium/plugin-notifications/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutomationRun, AutomationSummary, DeliveryView, DryRunResult } from '../common/index.js';
import { automationKinds } from './config.js';
import { automationsPlugin } from './plugin.js';
import { automationsServiceRef } from './service.js';
import { probePlugin } from './testing/probePlugin.js';
import { startReceiver } from './testing/receiver.js';
import { startSmtpSink } from './testing/smtpSink.js';

const SECRET = 'test-signing-secret';
const yamlDocs = (...docs: object[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n');
const component = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, ...(annotations ? { annotations } : {}) },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
});
const group = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a' }, spec: { type: 'team', children: [] } };
const automationEntity = (name: string, spec: object) => ({
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Automation',
  metadata: { name, title: `Automation ${name}` },
  spec,
});

describe.each(testDatabaseKinds())('automations on %s', (database) => {
  let dir: string;
  let backend: TestBackend;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  const audited: AuditEvent[] = [];
  const api = <T = unknown>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/automations${p}`, init);
  const detail = async (id: string) => (await api<{ automation: AutomationSummary; runs: AutomationRun[] }>(`/automations/${id}?limit=200`)).body;
  const emit = (type: string, event: { entityRef?: string; payload?: unknown; hop?: number } = {}) =>
    backend.backend.service(automationsServiceRef).emit(type, event);
  const writeCatalog = (...extra: object[]) =>
    fs.writeFileSync(
      path.join(dir, 'catalog.yaml'),
      yamlDocs(
        group,
        automationEntity('new-services', {
          trigger: { type: 'entity.created' },
          condition: 'entity.kind == "Component" && entity.spec.type == "service"',
          actions: [
            {
              type: 'webhook',
              url: `${receiver.url}/ok/created`,
              secret: 'hook',
              body: { ref: '{{ event.entityRef }}', name: '{{ entity.metadata.name }}', hop: '{{ event.hop }}' },
            },
          ],
        }),
        automationEntity('broken-cel', {
          trigger: { type: 'entity.created' },
          condition: 'entity.kind ==',
          actions: [{ type: 'webhook', url: `${receiver.url}/ok/never` }],
        }),
        component('old-env', { type: 'website' }, { 'example.com/expires-at': '2020-01-01T00:00:00Z' }),
        component('new-env', { type: 'website' }, { 'example.com/expires-at': '2999-01-01T00:00:00Z' }),
        ...extra,
      ),
    );
  const refresh = async () => {
    const r = await backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'group:default/team-a' } });
    expect(r.status).toBe(200);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-automations-'));
    receiver = await startReceiver(SECRET);
    smtp = await startSmtpSink();
    writeCatalog(component('alpha'));
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, notificationsPlugin, automationsPlugin, probePlugin],
      services: [createServiceFactory(coreServices.audit, () => ({ record: (event) => void audited.push(event) }))],
      configDir: dir,
      config: {
        catalog: { processingPollMs: 50, readers: { fileRoots: [dir] }, kinds: automationKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
        notifications: { email: { from: 'Atrium <atrium@example.com>', smtp: { host: '127.0.0.1', port: smtp.port } } },
        automations: {
          timerIntervalSeconds: 1,
          allowedHosts: ['127.0.0.1'],
          secrets: { hook: SECRET },
          pollIntervalMs: 50,
          backoffBaseMs: 20,
          backoffMaxMs: 100,
          maxHops: 3,
          rules: [
            {
              id: 'lifecycle-change',
              trigger: { type: 'entity.updated' },
              condition: 'before.spec.lifecycle != after.spec.lifecycle',
              actions: [
                { type: 'webhook', url: `${receiver.url}/ok/updated`, body: { from: '{{ before.spec.lifecycle }}', to: '{{ after.spec.lifecycle }}' } },
                { type: 'notify', owner: true, title: '{{ entity.metadata.name }} is now {{ after.spec.lifecycle }}' },
              ],
            },
            {
              id: 'flaky',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "flaky"',
              actions: [{ type: 'webhook', url: `${receiver.url}/flaky`, maxAttempts: 5 }],
            },
            {
              id: 'hang',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "hang"',
              actions: [{ type: 'webhook', url: `${receiver.url}/hang`, timeoutMs: 300, maxAttempts: 2 }],
            },
            {
              id: 'big',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "big"',
              actions: [{ type: 'webhook', url: `${receiver.url}/big` }],
            },
            {
              id: 'ssrf',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "ssrf"',
              actions: [{ type: 'webhook', url: `http://127.0.0.2:${receiver.port}/ok/ssrf` }],
            },
            {
              id: 'slack',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "slack"',
              actions: [{ type: 'slack', url: `${receiver.url}/ok/slack`, text: 'Ping for {{ event.payload.target }}' }],
            },
            {
              id: 'expiry',
              trigger: { type: 'entity.timer', field: 'entity.metadata.annotations["example.com/expires-at"]', filter: { kind: 'Component' } },
              actions: [{ type: 'webhook', url: `${receiver.url}/ok/expired`, body: { ref: '{{ event.entityRef }}', dueAt: '{{ event.payload.dueAt }}' } }],
            },
            {
              id: 'mail',
              trigger: { type: 'probe.ping' },
              condition: 'event.payload.target == "mail"',
              actions: [{ type: 'email', to: ['ops@example.com'], subject: 'Ping {{ event.payload.n }}', text: 'Hello from {{ event.type }}' }],
            },
            {
              id: 'nested-change',
              trigger: { type: 'entity.updated' },
              condition: 'event.entityRef == "component:default/delta" && before.spec.deploy.tier.level != after.spec.deploy.tier.level',
              actions: [
                {
                  type: 'webhook',
                  url: `${receiver.url}/ok/nested`,
                  body: {
                    level: '{{ [before.spec.deploy.tier.level, after.spec.deploy.tier.level] }}',
                    region: '{{ [before.spec.deploy.region, after.spec.deploy.region] }}',
                    owner: '{{ [before.spec.owner, after.spec.owner] }}',
                    canaryRemoved: '{{ has(before.spec.deploy.canary) && !has(after.spec.deploy.canary) }}',
                    note: '{{ ["example.com/note" in before.metadata.annotations, "example.com/note" in after.metadata.annotations] }}',
                    noteWas: '{{ before.metadata.annotations["example.com/note"] }}',
                  },
                },
              ],
            },
            // Its trigger type is registered only by the start-up gap test, after the plugin started.
            {
              id: 'late',
              trigger: { type: 'probe.late' },
              actions: [{ type: 'webhook', url: `${receiver.url}/ok/late`, body: { n: '{{ event.payload.n }}' } }],
            },
            { id: 'loop', trigger: { type: 'probe.loop' }, actions: [{ type: 'emit', event: 'probe.loop', payload: { again: true } }] },
            { id: 'unknown-trigger', trigger: { type: 'nobody.registered-this' }, actions: [{ type: 'webhook', url: `${receiver.url}/ok/x` }] },
            { id: 'scaffolder', trigger: { type: 'probe.ping' }, actions: [{ type: 'scaffolder', template: 'template:default/x' }] },
          ],
        },
      },
    });
    // Definitions are there once the catalog has read the Automation entities.
    await waitFor(async () => (await api<{ items: AutomationSummary[] }>('/automations')).body.items.some((a) => a.id === 'new-services'), {
      timeoutMs: 90_000,
    });
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
    await receiver?.close();
    await smtp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists automations; bad CEL, an unknown trigger and an unavailable action leave theirs disabled with the reason', async () => {
    const { body } = await api<{ items: AutomationSummary[] }>('/automations');
    const byId = new Map(body.items.map((a) => [a.id, a]));
    expect(byId.get('new-services')).toMatchObject({ enabled: true, paused: false, errors: [], source: 'automation:default/new-services' });
    expect(byId.get('broken-cel')?.enabled).toBe(false);
    expect(byId.get('broken-cel')?.errors.join(' ')).toMatch(/condition "entity.kind ==".*Unexpected token/);
    expect(byId.get('unknown-trigger')?.errors.join(' ')).toMatch(/trigger type "nobody.registered-this" is not known/);
    expect(byId.get('scaffolder')?.errors.join(' ')).toMatch(/scaffolder action is not available/);
    expect(byId.get('flaky')).toMatchObject({ enabled: true, errors: [] }); // its trigger was registered by the probe plugin
  });

  it('runs an entity.created automation once per new matching entity, with a valid HMAC signature', async () => {
    writeCatalog(component('alpha'), component('beta'), component('gamma', { type: 'website' }));
    await refresh();
    await waitFor(() => receiver.received.some((r) => r.path === '/ok/created' && (r.body as { ref: string }).ref === 'component:default/beta'), {
      timeoutMs: 30_000,
    });
    // Settle, then check nothing more arrived: one delivery for beta, none for gamma (a website).
    await waitFor(async () => (await detail('new-services')).runs.every((r) => r.status === 'succeeded'));
    // alpha was in the file at start: whether its creation ran depends on whether the catalog had
    // stored it before the automations plugin started following the log; if so, once.
    const all = receiver.received.filter((r) => r.path === '/ok/created');
    expect(all.filter((r) => (r.body as { ref: string }).ref === 'component:default/alpha').length).toBeLessThanOrEqual(1);
    const created = all.filter((r) => (r.body as { ref: string }).ref !== 'component:default/alpha');
    expect(created.map((r) => (r.body as { ref: string }).ref)).toEqual(['component:default/beta']);
    expect(created[0]!.signatureValid).toBe(true);
    expect(created[0]!.body).toEqual({ ref: 'component:default/beta', name: 'beta', hop: 0 });
    expect(created[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}:0$/);
    const runs = (await detail('new-services')).runs.filter((r) => r.event.entityRef !== 'component:default/alpha');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.deliveries![0]).toMatchObject({ status: 'succeeded', attempts: 1, lastStatusCode: 200 });
    expect((await detail('broken-cel')).runs).toHaveLength(0);
  });

  it('gives before and after to entity.updated, and notifies the owner group', async () => {
    writeCatalog(component('alpha', { lifecycle: 'deprecated' }), component('beta'), component('gamma', { type: 'website' }));
    await refresh();
    await waitFor(() => receiver.received.some((r) => r.path === '/ok/updated'), { timeoutMs: 30_000 });
    expect(receiver.received.find((r) => r.path === '/ok/updated')!.body).toEqual({ from: 'production', to: 'deprecated' });
    const notes = await waitFor(async () => {
      const n = (await backend.json<NotificationList>(`/api/notifications?source=automations&recipient=${encodeURIComponent('group:default/team-a')}`)).body;
      return n.items.length > 0 && n;
    });
    expect(notes.items[0]).toMatchObject({ title: 'alpha is now deprecated', entityRef: 'component:default/alpha' });
  });

  it("gives before and after of a nested change and of removed fields, rebuilt from the catalog's changed paths", async () => {
    const others = [component('alpha', { lifecycle: 'deprecated' }), component('beta'), component('gamma', { type: 'website' })];
    writeCatalog(...others, component('delta', { deploy: { region: 'eu', tier: { level: 1 }, canary: true } }, { 'example.com/note': 'keep me' }));
    await refresh();
    // The creation is followed first (its run is delivered), so the update comes on a later page:
    // its before is the catalog's version with the update undone, not the created payload.
    await waitFor(() => receiver.received.some((r) => r.path === '/ok/created' && (r.body as { ref: string }).ref === 'component:default/delta'), {
      timeoutMs: 30_000,
    });
    writeCatalog(...others, component('delta', { deploy: { region: 'eu', tier: { level: 2 } } }));
    await refresh();
    const hit = await waitFor(() => receiver.received.find((r) => r.path === '/ok/nested') ?? false, { timeoutMs: 30_000 });
    expect(hit.body).toEqual({
      level: [1, 2],
      region: ['eu', 'eu'],
      owner: ['team-a', 'team-a'],
      canaryRemoved: true,
      note: [true, false],
      noteWas: 'keep me',
    });
    const runs = await waitFor(async () => {
      const r = (await detail('nested-change')).runs;
      return r.length > 0 && r.every((x) => x.status === 'succeeded') && r;
    });
    expect(runs).toHaveLength(1);
  });

  it('enables the rules on a trigger type registered after start-up at once: an event appended in the same tick runs them', async () => {
    const listed = async () => (await api<{ items: AutomationSummary[] }>('/automations')).body.items.find((a) => a.id === 'late')!;
    expect(await listed()).toMatchObject({ enabled: false });
    expect((await listed()).errors.join(' ')).toMatch(/trigger type "probe.late" is not known/);
    const service = backend.backend.service(automationsServiceRef);
    // No await between the registration and the append: the follower, woken by the append, must
    // not consume the event while the rule on it is still disabled.
    service.registerTrigger({ type: 'probe.late', description: 'A trigger type registered after start-up' });
    await service.emit('probe.late', { payload: { n: 42 } });
    const run = await waitFor(async () => (await detail('late')).runs.find((r) => r.status === 'succeeded') ?? false, { timeoutMs: 30_000 });
    expect(run.event).toMatchObject({ type: 'probe.late', payload: { n: 42 } });
    expect(receiver.received.filter((r) => r.path === '/ok/late').map((r) => r.body)).toEqual([{ n: 42 }]);
    expect(await listed()).toMatchObject({ enabled: true, errors: [] });
    expect((await detail('late')).runs).toHaveLength(1);
  });

  it('retries a receiver that fails twice, with backoff, then succeeds', async () => {
    await emit('probe.ping', { payload: { target: 'flaky' } });
    const run = await waitFor(async () => (await detail('flaky')).runs.find((r) => r.status === 'succeeded') ?? false, { timeoutMs: 30_000 });
    const d = run.deliveries![0]!;
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(d.history.map((h) => h.statusCode)).toEqual([500, 500, 200]);
    const keys = receiver.received.filter((r) => r.path === '/flaky').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual([d.idempotencyKey, d.idempotencyKey, d.idempotencyKey]);
  });

  it('times out a hanging receiver and dead-letters after maxAttempts', async () => {
    await emit('probe.ping', { payload: { target: 'hang' } });
    const run = await waitFor(async () => (await detail('hang')).runs.find((r) => r.status === 'failed') ?? false, { timeoutMs: 30_000 });
    const d = run.deliveries![0]!;
    expect(d).toMatchObject({ status: 'dead', attempts: 2 });
    expect(d.history.map((h) => h.error)).toEqual(['timed out after 300 ms', 'timed out after 300 ms']);
  });

  it('keeps only the start of a 10 MB answer in the log', async () => {
    await emit('probe.ping', { payload: { target: 'big' } });
    const run = await waitFor(async () => (await detail('big')).runs.find((r) => r.status !== 'running') ?? false, { timeoutMs: 30_000 });
    const d = (await api<DeliveryView>(`/deliveries/${run.deliveries![0]!.id}`)).body;
    expect(d.status).toBe('succeeded');
    const response = d.history[0]!.response!;
    expect(response.length).toBeLessThan(5000);
    expect(response).toMatch(/^x{4096}\n\[truncated: kept 4096 of /);
  });

  it('refuses a private address that is not allowed (SSRF guard), without retrying', async () => {
    await emit('probe.ping', { payload: { target: 'ssrf' } });
    const run = await waitFor(async () => (await detail('ssrf')).runs.find((r) => r.status === 'failed') ?? false, { timeoutMs: 30_000 });
    const d = run.deliveries![0]!;
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });
    expect(d.lastError).toMatch(/Refusing "http:\/\/127\.0\.0\.2:\d+\/ok\/ssrf": it is 127\.0\.0\.2, a loopback, private or link-local address/);
    expect(receiver.received.some((r) => r.path === '/ok/ssrf')).toBe(false);
  });

  it('sends Slack its body shape', async () => {
    await emit('probe.ping', { payload: { target: 'slack' } });
    await waitFor(() => receiver.received.some((r) => r.path === '/ok/slack'), { timeoutMs: 30_000 });
    expect(receiver.received.find((r) => r.path === '/ok/slack')!.body).toEqual({ text: 'Ping for slack' });
  });

  it('stops an automation that triggers itself after maxHops', async () => {
    await emit('probe.loop', { payload: { first: true } });
    const runs = await waitFor(
      async () => {
        const r = (await detail('loop')).runs;
        return r.some((x) => x.status === 'loop-stopped') && r;
      },
      { timeoutMs: 30_000 },
    );
    // hops 0..3 run (maxHops 3), the event at hop 4 is stopped, and nothing follows it.
    const byHop = runs.map((r) => [r.event.hop, r.status]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byHop).toEqual([
      [0, 'succeeded'],
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
      [4, 'loop-stopped'],
    ]);
    expect(runs.find((r) => r.status === 'loop-stopped')!.reason).toMatch(/automations.maxHops is 3/);
  });

  it('fires an entity.timer once for a date that passed, not for one in the future', async () => {
    await waitFor(() => receiver.received.some((r) => r.path === '/ok/expired'), { timeoutMs: 20_000 });
    // Let the timer job tick a few more times: still one delivery.
    const ticks = (await detail('expiry')).runs.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await detail('expiry')).runs.length).toBe(ticks);
    expect(receiver.received.filter((r) => r.path === '/ok/expired').map((r) => r.body)).toEqual([
      { ref: 'component:default/old-env', dueAt: '2020-01-01T00:00:00.000Z' },
    ]);
  });

  it('sends email through the notifications plugin to a local SMTP server', async () => {
    await emit('probe.ping', { payload: { target: 'mail', n: 7 } });
    await waitFor(() => smtp.messages.length === 1, { timeoutMs: 30_000 });
    expect(smtp.messages[0]!.to).toEqual(['ops@example.com']);
    expect(smtp.messages[0]!.raw).toMatch(/^Subject: Ping 7\r?$/m);
    expect(smtp.messages[0]!.raw).toContain('Hello from probe.ping');
  });

  it('pauses and resumes (audited); a paused automation does not run', async () => {
    const paused = await api('/automations/slack/pause', { method: 'POST' });
    expect(paused.status).toBe(200);
    expect(audited.some((e) => e.action === 'automations.automation.pause' && e.target === 'slack')).toBe(true);
    const before = receiver.received.filter((r) => r.path === '/ok/slack').length;
    await emit('probe.ping', { payload: { target: 'slack' } });
    await emit('probe.ping', { payload: { target: 'flaky' } }); // a marker that is not paused
    await waitFor(async () => (await detail('flaky')).runs.length === 2 && (await detail('flaky')).runs.every((r) => r.status === 'succeeded'), {
      timeoutMs: 30_000,
    });
    expect(receiver.received.filter((r) => r.path === '/ok/slack').length).toBe(before);
    expect((await detail('slack')).automation.paused).toBe(true);
    expect((await api('/automations/slack/resume', { method: 'POST' })).status).toBe(200);
    expect((await detail('slack')).automation.paused).toBe(false);
  });

  it('re-delivers a dead delivery (audited) and answers 404/409 where it should', async () => {
    const dead = (await detail('hang')).runs[0]!.deliveries![0]!;
    const again = await api(`/deliveries/${dead.id}/redeliver`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(audited.some((e) => e.action === 'automations.delivery.redeliver' && e.target === dead.id)).toBe(true);
    expect((await api(`/deliveries/${dead.id}/redeliver`, { method: 'POST' })).status).toBe(409); // pending now
    await waitFor(async () => (await api<DeliveryView>(`/deliveries/${dead.id}`)).body.status === 'dead', { timeoutMs: 30_000 });
    expect((await api('/deliveries/00000000-0000-4000-8000-000000000000/redeliver', { method: 'POST' })).status).toBe(404);
    expect((await api('/automations/nope')).status).toBe(404);
  });

  it('dry-runs an event without sending or recording anything', async () => {
    const runsBefore = (await detail('new-services')).runs.length;
    const sentBefore = receiver.received.length;
    const yes = await api<DryRunResult>('/automations/new-services/test', {
      method: 'POST',
      body: { event: { type: 'entity.created', after: component('delta') } },
    });
    expect(yes.status).toBe(200);
    expect(yes.body.matched).toBe(true);
    expect(yes.body.actions[0]!.request).toMatchObject({ url: `${receiver.url}/ok/created`, body: { ref: 'component:default/delta', name: 'delta', hop: 0 } });
    const no = await api<DryRunResult>('/automations/new-services/test', {
      method: 'POST',
      body: { event: { type: 'entity.created', after: component('web', { type: 'website' }) } },
    });
    expect(no.body).toMatchObject({ matched: false, reason: 'the condition is false for this event' });
    const bad = await api('/automations/new-services/test', { method: 'POST', body: { event: { hop: -1 } } });
    expect(bad.status).toBe(400);
    expect((await detail('new-services')).runs.length).toBe(runsBefore);
    expect(receiver.received.length).toBe(sentBefore);
  });
});
