import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createGuestAuth, createServiceFactory } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogChangesStatus, EntityResultsResponse, ListScorecardsResponse } from '../common/index.js';
import { SCORECARD_NOTIFICATION_TOPICS } from '../common/index.js';
import { notificationsPlugin, type NotificationList } from '@atrium/plugin-notifications/backend';
import { scorecardKinds } from './config.js';
import { scorecardsPlugin } from './plugin.js';

const group = (name: string, parent?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});
const component = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, description: `The ${name} service`, ...metadata },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a', ...spec },
});
const scorecard = {
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Scorecard',
  metadata: { name: 'prod', title: 'Production readiness' },
  spec: {
    filter: { kind: 'Component' },
    levels: [{ id: 'bronze', color: '#cd7f32' }, { id: 'silver' }, { id: 'gold' }],
    rules: [
      { id: 'owner', level: 'bronze', weight: 10, condition: 'facts.ownerResolves', failureMessage: 'Set spec.owner to an existing group' },
      { id: 'description', level: 'bronze', weight: 5, condition: 'facts.hasDescription' },
      { id: 'system', level: 'silver', weight: 5, condition: 'has(entity.spec.system)', failureMessage: 'Add spec.system' },
      { id: 'tags', level: 'gold', weight: 5, condition: '"java" in entity.metadata.tags' },
    ],
  },
};
const brokenScorecard = {
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Scorecard',
  metadata: { name: 'broken' },
  spec: { levels: [{ id: 'x' }], rules: [{ id: 'r1', level: 'x', condition: 'facts.doesNotExist == 1' }] },
};
const initiative = {
  apiVersion: 'atrium.dev/v1alpha1',
  kind: 'Initiative',
  metadata: { name: 'to-silver', title: 'Everything to Silver' },
  spec: {
    scorecard: 'prod',
    targetLevel: 'silver',
    owner: 'group:default/platform',
    startDate: '2020-01-01',
    deadline: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
  },
};
const yamlDocs = (...docs: object[]) => docs.map((d) => JSON.stringify(d)).join('\n---\n');

function entitiesFile(overrides: { alphaSystem?: boolean; betaOwner?: string } = {}) {
  return yamlDocs(
    group('platform'),
    group('team-a', 'platform'),
    group('team-b', 'platform'),
    component('alpha', overrides.alphaSystem === false ? {} : { system: 'shop' }, { tags: ['java'] }),
    component('beta', { owner: overrides.betaOwner ?? 'team-b' }),
    component('gamma', { owner: 'ghost-team' }, { description: '' }),
    scorecard,
    brokenScorecard,
    initiative,
  );
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function memberOfTeamA() {
  const guest = createGuestAuth();
  return {
    getCaller: async (req: Parameters<typeof guest.getCaller>[0]) => {
      const c = await guest.getCaller(req);
      return { ...c, ownershipEntityRefs: [...c.ownershipEntityRefs, 'group:default/team-a'] };
    },
    serviceCaller: (pluginId: string) => guest.serviceCaller(pluginId),
  };
}

describe.each(testDatabaseKinds())('scorecards on %s', (database) => {
  let dir: string;
  let backend: TestBackend;
  let webhook: http.Server;
  const received: unknown[] = [];
  const api = <T = any>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/scorecards${p}`, init); // eslint-disable-line @typescript-eslint/no-explicit-any
  // A team's scorecards notifications, through the notifications plugin.
  const notifications = async (owner: string) =>
    (await backend.json<NotificationList>(`/api/notifications?source=scorecards&recipient=${encodeURIComponent(owner)}`)).body.items;
  const entityResults = async (name: string) => (await api<EntityResultsResponse>(`/entities/component/default/${name}`)).body;
  const refresh = async (content: string) => {
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), content);
    const r = await backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'component:default/alpha' } });
    expect(r.status).toBe(200);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scorecards-'));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), entitiesFile());
    webhook = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
    const port = (webhook.address() as { port: number }).port;
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, notificationsPlugin, scorecardsPlugin],
      // The guest, as a member of team-a: it reads and marks team-a's notifications as its own.
      services: [createServiceFactory(coreServices.auth, () => memberOfTeamA())],
      configDir: dir,
      config: {
        catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, kinds: scorecardKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
        scorecards: { eventBatchMs: 20, git: { enabled: false }, notifications: { webhookUrl: `http://127.0.0.1:${port}/hook` } },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    webhook?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates the catalog on schedule and lists scorecards with definition errors', async () => {
    // The first sweep can run before the catalog has read its location; ask for one once entities are there.
    await waitFor(async () => (await backend.json<unknown[]>('/api/catalog/entities?filter=kind=component')).body.length === 3);
    await waitFor(async () => (await entityResults('gamma')).results.length > 0 || (await api('/evaluate', { method: 'POST' }), false));
    const { body } = await api<ListScorecardsResponse>('/scorecards');
    expect(body.items.map((s) => s.id)).toEqual(['prod']);
    expect(body.errors).toEqual([
      expect.objectContaining({ scorecard: 'broken', rule: 'r1', message: expect.stringContaining('unknown fact "doesNotExist"') }),
    ]);
    const prod = body.items[0]!;
    expect(prod.entityCount).toBe(3);
    expect(prod.levelDistribution).toEqual({ gold: 1, bronze: 1, none: 1 });
    expect(prod.rulePassRates['owner']).toEqual({ passed: 2, total: 3, unmet: 1, upcoming: 0, ready: 0, notApplicable: 0 });
  });

  it('gives levels, weighted points and per-rule actual values per entity, with facts', async () => {
    const alpha = await entityResults('alpha');
    expect(alpha.results[0]).toMatchObject({ scorecardId: 'prod', level: 'gold', points: 25, maxPoints: 25, owner: 'group:default/team-a' });
    expect(alpha.facts['ownerResolves']).toMatchObject({ value: true, status: 'known', provider: 'catalog' });
    expect(alpha.facts['techdocsBuilt']).toMatchObject({ value: false, status: 'known' }); // no techdocs-ref annotation
    const gamma = (await entityResults('gamma')).results[0]!;
    expect(gamma).toMatchObject({ level: null, points: 0, maxPoints: 25 });
    expect(gamma.rules.find((r) => r.ruleId === 'owner')).toMatchObject({ status: 'fail', message: 'Set spec.owner to an existing group' });
    const beta = (await entityResults('beta')).results[0]!;
    expect(beta).toMatchObject({ level: 'bronze', points: 15 });
  });

  it('re-evaluates an entity when the catalog reports a change, records history and notifies on a level drop', async () => {
    await refresh(entitiesFile({ alphaSystem: false }));
    await waitFor(async () => (await entityResults('alpha')).results[0]?.level === 'bronze');
    // The catalog's changes were heard, evaluated in batches, and the plugin says it has caught up.
    const { catalogChanges } = await waitFor(async () => {
      const status = (await api<{ catalogChanges: CatalogChangesStatus }>('/status')).body;
      return status.catalogChanges.idle && status.catalogChanges.caughtUpAt !== null && status;
    });
    expect(catalogChanges).toMatchObject({ queued: 0, batches: expect.any(Number), lastBatchAt: expect.any(String) });
    expect(catalogChanges.heard).toBeGreaterThanOrEqual(catalogChanges.entities);
    expect(catalogChanges.entities).toBeGreaterThan(0);
    expect(catalogChanges.batches).toBeLessThanOrEqual(catalogChanges.entities);
    const history = (await api<{ items: Array<{ level: string }> }>('/history?entityRef=component:default/alpha')).body.items;
    expect(history.map((h) => h.level)).toEqual(['gold', 'bronze']);
    // A sweep that happens to run now (one starts whenever definitions are re-read) may also remind
    // team-a of the initiative alpha now fails; the level drop is what this test is about.
    const notes = (await notifications('group:default/team-a')).filter((n) => n.topic === SCORECARD_NOTIFICATION_TOPICS.levelDrop);
    expect(notes).toEqual([expect.objectContaining({ source: 'scorecards', topic: 'scorecards.level-drop', entityRef: 'component:default/alpha' })]);
    await waitFor(async () => received.some((r) => (r as { type: string }).type === 'scorecards.level-drop'));
    // Marking read
    expect((await backend.json(`/api/notifications/${notes[0]!.id}/read`, { method: 'POST' })).status).toBe(204);
    expect((await notifications('group:default/team-a')).find((n) => n.id === notes[0]!.id)?.readAt).toBeDefined();
  });

  it('rolls up per owner and per group hierarchy', async () => {
    const owners = (await api<{ items: Array<{ key: string; entityCount: number; levels: Record<string, number> }> }>('/scorecards/prod/rollups?by=owner')).body
      .items;
    expect(owners.map((o) => [o.key, o.entityCount])).toEqual([
      ['group:default/ghost-team', 1],
      ['group:default/team-a', 1],
      ['group:default/team-b', 1],
    ]);
    const groups = (
      await api<{ items: Array<{ key: string; entityCount: number; levels: Record<string, number>; children: Array<{ key: string }> }> }>(
        '/scorecards/prod/rollups?by=group',
      )
    ).body.items;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ key: 'group:default/platform', entityCount: 2, levels: { bronze: 2 } });
    expect(groups[0]!.children.map((c) => c.key)).toEqual(['group:default/team-a', 'group:default/team-b']);
  });

  it("orders a team's fixes and exports CSV", async () => {
    const fix = (await api<{ items: Array<{ ruleId: string; entityRefs: string[] }> }>(`/owners/${encodeURIComponent('group:default/team-a')}/fix-next`)).body
      .items;
    expect(fix.map((f) => f.ruleId)).toEqual(['system']);
    const res = await backend.fetch('/api/scorecards/export.csv?scorecard=prod');
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('entity_ref,scorecard,owner,level,points,max_points,failing_rules,evaluated_at');
    expect(lines).toHaveLength(4);
  });

  it('exemptions count as passed until they expire, and are validated', async () => {
    const bad = await api('/exemptions', {
      method: 'POST',
      body: {
        entityRef: 'component:default/alpha',
        scorecardId: 'prod',
        ruleId: 'nope',
        reason: 'because',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(bad.status).toBe(400);
    const created = await api('/exemptions', {
      method: 'POST',
      body: {
        entityRef: 'component:default/alpha',
        scorecardId: 'prod',
        ruleId: 'system',
        reason: 'Being split out of the shop system',
        approvedBy: 'user:default/cto',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    await waitFor(async () => (await entityResults('alpha')).results[0]?.level === 'gold');
    const rule = (await entityResults('alpha')).results[0]!.rules.find((r) => r.ruleId === 'system');
    expect(rule?.status).toBe('exempt');
    expect((await api<{ items: unknown[] }>('/exemptions?entityRef=component:default/alpha')).body.items).toHaveLength(1);
    expect((await api(`/exemptions/${(created.body as { id: string }).id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(async () => (await entityResults('alpha')).results[0]?.level === 'bronze');
  });

  it('tracks initiatives: progress per team, failing entities with days left, burn-up, deadline reminders', async () => {
    await api('/evaluate', { method: 'POST' });
    const list = (await api<{ items: Array<{ id: string; total: number; passing: number }> }>('/initiatives')).body.items;
    expect(list).toEqual([expect.objectContaining({ id: 'to-silver', total: 3, passing: 0 })]);
    const detail = (
      await api<{
        total: number;
        daysLeft: number;
        burnUp: unknown[];
        teams: Array<{ owner: string }>;
        failing: Array<{ entityRef: string; daysLeft: number; failingRules: string[] }>;
      }>('/initiatives/to-silver')
    ).body;
    expect(detail.daysLeft).toBeGreaterThanOrEqual(5);
    expect(detail.burnUp).toHaveLength(1);
    expect(detail.teams.map((t) => t.owner).sort()).toEqual(['group:default/ghost-team', 'group:default/team-a', 'group:default/team-b']);
    expect(detail.failing.find((f) => f.entityRef === 'component:default/alpha')?.failingRules).toEqual(['system']);
    const reminders = await notifications('group:default/team-b');
    expect(reminders).toEqual([
      expect.objectContaining({ topic: SCORECARD_NOTIFICATION_TOPICS.deadline, scope: expect.stringMatching(/^deadline:to-silver:group:default\/team-b:/) }),
    ]);
    // One reminder per threshold: another sweep adds none; nothing changed, so it writes no result.
    const again = await api<{ lastSweep: { changed: number; entities: number } }>('/evaluate', { method: 'POST' });
    expect(again.body.lastSweep).toMatchObject({ changed: 0, entities: 10 }); // 3 groups, 3 components, 3 definitions, 1 location
    expect(await notifications('group:default/team-b')).toHaveLength(1);
  });

  it('records the techdocs fact from techdocs events and trends per day', async () => {
    const trend = (await api<{ items: Array<{ level: string | null; entities: number }> }>('/scorecards/prod/trend?days=7')).body.items;
    expect(trend.reduce((n, t) => n + t.entities, 0)).toBe(3);
    const missing = await api('/scorecards/nope/trend');
    expect(missing.status).toBe(404);
    expect((await api('/history')).status).toBe(400);
  });

  it('drops results of removed entities', async () => {
    fs.writeFileSync(
      path.join(dir, 'catalog.yaml'),
      entitiesFile()
        .split('\n---\n')
        .filter((d) => !d.includes('"gamma"'))
        .join('\n---\n'),
    );
    await backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'component:default/alpha' } });
    await waitFor(async () => (await entityResults('gamma')).results.length === 0);
  });
});
