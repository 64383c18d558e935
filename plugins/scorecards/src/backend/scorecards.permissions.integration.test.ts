import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecardKinds } from './config.js';
import { scorecardsPlugin } from './plugin.js';

// Ownership-aware reads: admins read everything, owners their entities, everyone the org (groups and users).
const POLICY = {
  roles: { admin: { members: ['group:default/admins'] } },
  rules: [
    { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
    { id: 'signed-in', effect: 'allow', permissions: ['scorecards.read', 'scorecards.exemption.request'] },
    { id: 'owners', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isEntityOwner: true } },
    { id: 'org', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { kind: ['group', 'user'] } },
  ],
};

const entity = (kind: string, name: string, spec: Record<string, unknown>, apiVersion = 'backstage.io/v1alpha1') => ({
  apiVersion,
  kind,
  metadata: { name },
  spec,
});
const DOCS = [
  entity('Group', 'admins', { type: 'team', children: [] }),
  entity('Group', 'team-a', { type: 'team', children: [] }),
  entity('Group', 'team-b', { type: 'team', children: [] }),
  entity('User', 'jdoe', { memberOf: ['team-a'] }),
  entity('User', 'nobody', { memberOf: [] }),
  entity('User', 'root', { memberOf: ['admins'] }),
  entity('Component', 'mine', { type: 'service', lifecycle: 'production', owner: 'team-a' }),
  entity('Component', 'secret', { type: 'service', lifecycle: 'production', owner: 'team-b' }),
  entity(
    'Scorecard',
    'prod',
    { filter: { kind: 'Component' }, levels: [{ id: 'bronze' }], rules: [{ id: 'described', level: 'bronze', weight: 1, condition: 'facts.hasDescription' }] },
    'atrium.dev/v1alpha1',
  ),
  entity(
    'Initiative',
    'describe-all',
    { scorecard: 'prod', targetLevel: 'bronze', owner: 'group:default/admins', startDate: '2020-01-01', deadline: '2099-01-01' },
    'atrium.dev/v1alpha1',
  ),
];

type Summary = { items: Array<{ id: string; entityCount: number; levelDistribution: Record<string, number> }> };

describe.each(testDatabaseKinds())('Scorecards under an ownership policy: rows of hidden entities are neither shown nor counted (%s)', (database) => {
  let dir: string;
  let backend: TestBackend;
  const as: Record<string, Record<string, string>> = {};
  const api = <T>(who: string, p: string, init: { method?: string; body?: unknown } = {}) =>
    backend.json<T>(`/api/scorecards${p}`, { ...init, headers: as[who] ?? {} });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scorecards-permissions-'));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), DOCS.map((d) => JSON.stringify(d)).join('\n---\n'));
    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, scorecardsPlugin],
      configDir: dir,
      config: {
        catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, kinds: scorecardKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
        scorecards: { eventBatchMs: 20, git: { enabled: false } },
        permission: { policy: POLICY },
      },
    });
    for (const name of ['jdoe', 'nobody', 'root'])
      as[name] = { cookie: `atrium_session=${(await backend.backend.auth.sessions.create(`user:default/${name}`)).secret}` };
    await waitFor(
      async () => {
        const s = await api<Summary>('root', '/scorecards');
        if (s.body.items?.[0]?.entityCount === 2) return true;
        await api('root', '/evaluate', { method: 'POST' });
        return false;
      },
      { timeoutMs: 150_000, message: 'both components scored' },
    );
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const granted = await api('root', '/exemptions', {
      method: 'POST',
      body: { entityRef: 'component:default/secret', scorecardId: 'prod', ruleId: 'described', reason: 'legacy service', expiresAt },
    });
    expect(granted.status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scorecard summaries, rule results, rule errors and rollups count only readable entities', async () => {
    const count = async (who: string) => (await api<Summary>(who, '/scorecards')).body.items[0]?.entityCount;
    expect([await count('root'), await count('jdoe'), await count('nobody')]).toEqual([2, 1, 0]);
    const rule = await api<{ tally: { total: number; passed: number }; items: Array<{ entityRef: string }> }>(
      'jdoe',
      '/scorecards/prod/rules/described?status=all',
    );
    expect(rule.body.items.map((i) => i.entityRef)).toEqual(['component:default/mine']);
    expect(rule.body.tally.total).toBe(1);
    expect((await api<{ tally: { total: number } }>('root', '/scorecards/prod/rules/described?status=all')).body.tally.total).toBe(2);
    const owners = await api<{ items: Array<{ key: string; entityCount: number }> }>('jdoe', '/scorecards/prod/rollups');
    expect(owners.body.items.map((o) => [o.key, o.entityCount])).toEqual([['group:default/team-a', 1]]);
    const groups = await api<{ items: Array<{ key: string; entityCount: number }> }>('jdoe', '/scorecards/prod/rollups?by=group');
    expect(Object.fromEntries(groups.body.items.map((g) => [g.key, g.entityCount]))).toEqual({
      'group:default/admins': 0,
      'group:default/team-a': 1,
      'group:default/team-b': 0,
    });
    expect((await api<{ items: unknown[] }>('nobody', '/scorecards/prod/rollups')).body.items).toEqual([]);
    const trend = await api<{ items: unknown[]; restricted?: boolean }>('jdoe', '/scorecards/prod/trend');
    expect(trend.body).toEqual({ items: [], restricted: true });
    expect((await api<{ restricted?: boolean }>('root', '/scorecards/prod/trend')).body.restricted).toBeUndefined();
  });

  it("a hidden entity's results, history and fix list are empty, like a missing entity's", async () => {
    const results = (who: string, name: string) => api<{ results: unknown[] }>(who, `/entities/component/default/${name}`);
    expect((await results('root', 'secret')).body.results).toHaveLength(1);
    expect((await results('jdoe', 'secret')).body).toEqual({ entityRef: 'component:default/secret', results: [], facts: {} });
    expect((await results('jdoe', 'nope')).body).toEqual({ entityRef: 'component:default/nope', results: [], facts: {} });
    expect((await results('jdoe', 'mine')).body.results).toHaveLength(1);
    expect((await api<{ items: unknown[] }>('jdoe', '/history?entityRef=component:default/secret')).body.items).toEqual([]);
    const history = await api<{ items: Array<{ entityRef: string }> }>('jdoe', '/history?scorecard=prod');
    expect(new Set(history.body.items.map((h) => h.entityRef))).toEqual(new Set(['component:default/mine']));
    const fix = await api<{ results: unknown[]; items: unknown[] }>('jdoe', '/owners/group:default%2Fteam-b/fix-next');
    expect([fix.body.results, fix.body.items]).toEqual([[], []]);
  });

  it('the CSV export lists only readable entities', async () => {
    const csv = async (who: string) => (await backend.fetch('/api/scorecards/export.csv', { headers: as[who] ?? {} })).text();
    const lines = (text: string) =>
      text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]);
    expect(lines(await csv('root')).sort()).toEqual(['component:default/mine', 'component:default/secret']);
    expect(lines(await csv('jdoe'))).toEqual(['component:default/mine']);
    expect(lines(await csv('nobody'))).toEqual([]);
  });

  it('initiatives count only readable entities and show no org-wide burn-up to a restricted caller', async () => {
    const list = async (who: string) => (await api<{ items: Array<{ total: number }> }>(who, '/initiatives')).body.items[0]?.total;
    expect([await list('root'), await list('jdoe'), await list('nobody')]).toEqual([2, 1, 0]);
    const detail = await api<{ total: number; failing: Array<{ entityRef: string }>; teams: Array<{ owner: string }>; burnUp: Array<{ total: number }> }>(
      'jdoe',
      '/initiatives/describe-all',
    );
    expect(detail.body.total).toBe(1);
    expect(detail.body.teams.map((t) => t.owner)).toEqual(['group:default/team-a']);
    for (const f of detail.body.failing) expect(f.entityRef).toBe('component:default/mine');
    expect(detail.body.burnUp.map((p) => p.total)).toEqual([1]);
  });

  it('exemptions of hidden entities are not listed; asking for one on a hidden entity is 404 like a missing entity', async () => {
    const list = async (who: string) => (await api<{ items: Array<{ entityRef: string }> }>(who, '/exemptions')).body.items.map((e) => e.entityRef);
    expect(await list('root')).toEqual(['component:default/secret']);
    expect(await list('jdoe')).toEqual([]);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const ask = (entityRef: string) =>
      api<{ error?: { message: string } }>('jdoe', '/exemptions/requests', {
        method: 'POST',
        body: { entityRef, scorecardId: 'prod', ruleId: 'described', reason: 'please', expiresAt },
      });
    const hidden = await ask('component:default/secret');
    const missing = await ask('component:default/nope');
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body.error?.message.replace('secret', 'X')).toBe(missing.body.error?.message.replace('nope', 'X'));
    expect((await ask('component:default/mine')).status).toBe(201);
  });
});
