import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityResultsResponse, Exemption, InitiativeProgress, ListScorecardsResponse, RuleResultsResponse } from '../common/index.js';
import { SCORECARD_NOTIFICATION_TOPICS } from '../common/index.js';
import { notificationsPlugin, type NotificationList } from '@atrium/plugin-notifications/backend';
import { scorecardKinds } from './config.js';
import { scorecardsPlugin } from './plugin.js';

// One status means one thing in every view: the entity page, the overview's pass rates, a rule's
// drill-down, initiatives, "fix next" and the CSV export all read it the same way.

const group = (name: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name }, spec: { type: 'team', children: [] } });
const component = (name: string, owner: string, description?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, ...(description ? { description } : {}) },
  spec: { type: 'service', lifecycle: 'production', owner },
});
const scorecard = {
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Scorecard',
  metadata: { name: 'consistency', title: 'Consistency' },
  spec: {
    filter: { kind: 'Component' },
    levels: [{ id: 'basic' }, { id: 'good' }],
    rules: [
      { id: 'described', level: 'basic', condition: 'facts.hasDescription', failureMessage: 'Add a description' },
      // No entity has spec.domain: the condition cannot be evaluated ("No such key: domain").
      { id: 'domain', level: 'basic', condition: 'entity.spec.domain == "shop"', failureMessage: 'Set spec.domain to your domain' },
      { id: 'few-deps', level: 'good', condition: 'count(relations.dependsOn) < 10 && count(relations.providesApi) == 0' },
      { id: 'upcoming', level: 'good', condition: 'facts.hasDescription', effectiveFrom: '2099-01-01', failureMessage: 'Describe it before 2099' },
      { id: 'websites-only', level: 'good', condition: 'false', filter: { type: 'website' } },
    ],
  },
};
const initiative = (deadlineInDays: number) => ({
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Initiative',
  metadata: { name: 'describe-all', title: 'Describe everything' },
  spec: {
    scorecard: 'consistency',
    rules: ['described'],
    owner: 'group:default/team-a',
    startDate: '2020-01-01',
    deadline: new Date(Date.now() + deadlineInDays * 86_400_000).toISOString().slice(0, 10),
  },
});
const catalogFile = (components: object[]) =>
  [group('team-a'), group('team-b'), ...components, scorecard, initiative(5)].map((d) => JSON.stringify(d)).join('\n---\n');

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(testDatabaseKinds())('rule statuses on %s', (database) => {
  let dir: string;
  let backend: TestBackend;
  const api = <T = any>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/scorecards${p}`, init); // eslint-disable-line @typescript-eslint/no-explicit-any
  const results = async (name: string) => (await api<EntityResultsResponse>(`/entities/component/default/${name}`)).body.results[0];
  const write = async (components: object[]) => {
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), catalogFile(components));
    await backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'component:default/svc-a' } });
  };
  const sweep = () => api('/evaluate', { method: 'POST' });
  // A team's reminders, through the notifications plugin.
  const reminders = async (owner: string) =>
    (await backend.json<NotificationList>(`/api/notifications?source=scorecards&recipient=${encodeURIComponent(owner)}`)).body.items.filter(
      (n) => n.topic === SCORECARD_NOTIFICATION_TOPICS.deadline,
    );

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scorecards-statuses-'));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), catalogFile([component('svc-a', 'team-a', 'A'), component('svc-b', 'team-b')]));
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, notificationsPlugin, scorecardsPlugin],
      configDir: dir,
      config: {
        catalog: {
          processingPollMs: 100,
          refreshIntervalSeconds: 1,
          readers: { fileRoots: [dir] },
          kinds: scorecardKinds,
          locations: [{ type: 'file', target: 'catalog.yaml' }],
        },
        scorecards: { eventBatchMs: 20, git: { enabled: false } },
      },
    });
    await waitFor(async () => (await results('svc-b')) !== undefined || (await sweep(), false));
  });
  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('entity results: one status per rule; people read the failureMessage, never the engine', async () => {
    const a = (await results('svc-a'))!;
    const byRule = Object.fromEntries(a.rules.map((r) => [r.ruleId, r]));
    expect(byRule['described']).toMatchObject({ status: 'pass' });
    expect(byRule['domain']).toMatchObject({ status: 'error', message: 'Set spec.domain to your domain' });
    expect(byRule['few-deps']).toMatchObject({ status: 'pass' }); // no relations of either type: empty lists, not "No such key"
    expect(byRule['upcoming']).toMatchObject({ status: 'pending', preview: 'pass' });
    expect(byRule['websites-only']).toEqual({ ruleId: 'websites-only', status: 'not-applicable' });
    expect(a).toMatchObject({ level: null, points: 2, maxPoints: 3 });
    const raw = JSON.stringify((await api(`/entities/component/default/svc-a`)).body);
    expect(raw).not.toMatch(/No such key/);
    expect(raw).not.toMatch(/"detail"/);
  });

  it('overview pass rates: an upcoming rule has no pass rate (it is not 100 %), errors count as not passed', async () => {
    const { body } = await api<ListScorecardsResponse>('/scorecards');
    const rates = body.items.find((s) => s.id === 'consistency')!.rulePassRates;
    expect(rates['upcoming']).toEqual({ passed: 0, total: 0, unmet: 0, upcoming: 2, ready: 1, notApplicable: 0 });
    expect(rates['domain']).toEqual({ passed: 0, total: 2, unmet: 2, upcoming: 0, ready: 0, notApplicable: 0 });
    expect(rates['websites-only']).toMatchObject({ total: 0, notApplicable: 2 });
    expect(rates['described']).toMatchObject({ passed: 1, total: 2, unmet: 1 });
  });

  it("a rule's drill-down lists the entities not meeting it; the engine's reason is for the authors only", async () => {
    const failing = (await api<RuleResultsResponse>('/scorecards/consistency/rules/domain')).body;
    expect(failing.rule.id).toBe('domain');
    expect(failing.items.map((x) => [x.entityRef, x.rule.status, x.rule.message])).toEqual([
      ['component:default/svc-a', 'error', 'Set spec.domain to your domain'],
      ['component:default/svc-b', 'error', 'Set spec.domain to your domain'],
    ]);
    expect(JSON.stringify(failing)).not.toMatch(/No such key/);
    expect((await api<RuleResultsResponse>('/scorecards/consistency/rules/described')).body.items.map((x) => x.entityRef)).toEqual(['component:default/svc-b']);
    expect((await api<RuleResultsResponse>('/scorecards/consistency/rules/upcoming?status=all')).body.items.map((x) => x.rule.status)).toEqual([
      'pending',
      'pending',
    ]);
    expect((await api('/scorecards/consistency/rules/nope')).status).toBe(404);
    expect((await api('/scorecards/nope/rules/domain')).status).toBe(404);
    expect((await api('/scorecards/consistency/rules/domain?status=bogus')).status).toBe(400);
    const errors = (await api<{ items: Array<{ entityRef: string; ruleId: string; detail: string }> }>('/rule-errors?scorecard=consistency')).body.items;
    expect(errors).toEqual([
      expect.objectContaining({ entityRef: 'component:default/svc-a', ruleId: 'domain', detail: expect.stringContaining('No such key: domain') }),
      expect.objectContaining({ entityRef: 'component:default/svc-b', ruleId: 'domain', detail: expect.stringContaining('No such key: domain') }),
    ]);
  });

  it('initiatives, fix-next and the CSV count errors as failing and upcoming or not-applicable rules as nothing', async () => {
    const initiativeBody = (await api<InitiativeProgress>('/initiatives/describe-all')).body;
    expect(initiativeBody).toMatchObject({ total: 2, passing: 1 });
    expect(initiativeBody.failing.map((f) => [f.entityRef, f.failingRules])).toEqual([['component:default/svc-b', ['described']]]);
    const fix = (await api<{ items: Array<{ ruleId: string }> }>(`/owners/${encodeURIComponent('group:default/team-a')}/fix-next`)).body.items;
    expect(fix.map((f) => f.ruleId)).toEqual(['domain']);
    const csv = await (await backend.fetch('/api/scorecards/export.csv?scorecard=consistency')).text();
    expect(csv.split('\n').find((l) => l.startsWith('component:default/svc-b'))).toContain(',described domain,');
  });

  it('deadline reminders follow the current state on every sweep instead of keeping the first one', async () => {
    await sweep();
    const first = await reminders('group:default/team-b');
    expect(first).toEqual([expect.objectContaining({ description: expect.stringMatching(/^1 of your entities/) })]);
    await write([component('svc-a', 'team-a', 'A'), component('svc-b', 'team-b'), component('svc-c', 'team-b')]);
    await waitFor(async () => (await results('svc-c')) !== undefined);
    await sweep();
    const second = await reminders('group:default/team-b');
    expect(second).toEqual([expect.objectContaining({ id: first[0]!.id, description: expect.stringMatching(/^2 of your entities/) })]);
    await write([component('svc-a', 'team-a', 'A'), component('svc-b', 'team-b', 'B'), component('svc-c', 'team-b', 'C')]);
    await waitFor(async () => (await results('svc-c'))?.rules.find((r) => r.ruleId === 'described')?.status === 'pass');
    await sweep();
    expect(await reminders('group:default/team-b')).toEqual([]);
  });

  it('exemptions are requested, count for nothing until granted, then count as passed', async () => {
    await write([component('svc-a', 'team-a', 'A'), component('svc-b', 'team-b')]);
    await waitFor(async () => (await results('svc-b'))?.rules.find((r) => r.ruleId === 'described')?.status === 'fail');
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const bad = await api('/exemptions/requests', {
      method: 'POST',
      body: { entityRef: 'component:default/svc-b', scorecardId: 'consistency', ruleId: 'nope', reason: 'because', expiresAt },
    });
    expect(bad.status).toBe(400);
    const requested = await api<Exemption>('/exemptions/requests', {
      method: 'POST',
      body: { entityRef: 'component:default/svc-b', scorecardId: 'consistency', ruleId: 'described', reason: 'Being retired next month', expiresAt },
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'requested', requestedBy: 'user:default/guest', approvedBy: null });
    expect((await api<{ items: Exemption[] }>('/exemptions?status=requested&entityRef=component:default/svc-b')).body.items.map((x) => x.id)).toEqual([
      requested.body.id,
    ]);
    expect((await api<{ items: Exemption[] }>('/exemptions?entityRef=component:default/svc-b')).body.items).toEqual([]);
    await sweep();
    expect((await results('svc-b'))!.rules.find((r) => r.ruleId === 'described')!.status).toBe('fail');

    const granted = await api<Exemption>(`/exemptions/${requested.body.id}/grant`, { method: 'POST' });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ status: 'granted', approvedBy: 'user:default/guest', grantedAt: expect.any(String) });
    await waitFor(async () => (await results('svc-b'))?.rules.find((r) => r.ruleId === 'described')?.status === 'exempt');
    expect((await api(`/exemptions/${requested.body.id}/grant`, { method: 'POST' })).status).toBe(409);
    expect((await api('/exemptions/no-such-id/grant', { method: 'POST' })).status).toBe(404);
    expect((await api(`/exemptions/${requested.body.id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(async () => (await results('svc-b'))?.rules.find((r) => r.ruleId === 'described')?.status === 'fail');
  });
});
