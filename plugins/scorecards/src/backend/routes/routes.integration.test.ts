import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createPermissions, createServiceFactory, type PermissionRequest } from '@atrium/backend-plugin-api';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scorecardKinds } from '../config.js';
import { scorecardsPlugin } from '../plugin.js';

type ErrorBody = { error: { name: string; details?: { errors: Array<{ path: string }> } } };
const paths = (b: ErrorBody) => (b.error.details?.errors ?? []).map((e) => e.path).sort();

const docs = [
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'locked' }, spec: { type: 'service', lifecycle: 'production', owner: 'team-a' } },
  {
    apiVersion: 'atrium.dev/v1alpha1',
    kind: 'Scorecard',
    metadata: { name: 'prod' },
    spec: {
      filter: { kind: 'Component' },
      levels: [{ id: 'bronze' }],
      rules: [{ id: 'described', level: 'bronze', weight: 1, condition: 'facts.hasDescription' }],
    },
  },
];

describe('Scorecards routes (declared with defineRoute)', () => {
  let dir: string;
  let backend: TestBackend;
  const asked: PermissionRequest[] = [];
  const api = <T = ErrorBody>(p: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }) => backend.json<T>(`/api/scorecards${p}`, init);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-scorecards-routes-'));
    fs.writeFileSync(path.join(dir, 'catalog.yaml'), docs.map((d) => JSON.stringify(d)).join('\n---\n'));
    // Exemptions on component:default/locked may be asked for, not granted; the rest is allowed.
    const policy = createServiceFactory(coreServices.permissions, () =>
      createPermissions((_caller, request) => {
        if (request.permission.startsWith('scorecards.exemption')) asked.push(request);
        return request.permission === 'scorecards.exemption.create' && request.resourceRef === 'component:default/locked'
          ? { result: 'DENY' }
          : { result: 'ALLOW' };
      }),
    );
    backend = await startTestBackend({
      plugins: [catalogPlugin, scorecardsPlugin],
      services: [policy],
      configDir: dir,
      config: {
        catalog: { processingPollMs: 100, readers: { fileRoots: [dir] }, kinds: scorecardKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
        scorecards: { eventBatchMs: 20, git: { enabled: false } },
      },
    });
    await waitFor(async () => (await api<{ id: string }>('/scorecards/prod')).status === 200);
  });
  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 400 naming each bad field before asking for a permission', async () => {
    asked.length = 0;
    const bad = await api('/exemptions', { method: 'POST', body: { entityRef: 'component:default/locked', reason: 'x', extra: true } });
    expect(bad.status).toBe(400);
    expect(paths(bad.body)).toEqual(['body.expiresAt', 'body.extra', 'body.reason', 'body.ruleId', 'body.scorecardId']);
    expect(asked).toEqual([]);
    const status = await api('/scorecards/prod/rules/described?status=bogus');
    expect(status.status).toBe(400);
    expect(paths(status.body)).toEqual(['query.status']);
  });

  it('checks a grant against the entity of the stored exemption, before granting', async () => {
    asked.length = 0;
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const requested = await api<{ id: string; status: string }>('/exemptions/requests', {
      method: 'POST',
      body: { entityRef: 'Component:default/Locked', scorecardId: 'prod', ruleId: 'described', reason: 'being rewritten', expiresAt },
    });
    expect(requested.status).toBe(201);
    const grant = await api(`/exemptions/${requested.body.id}/grant`, { method: 'POST', body: {} });
    expect(grant.status).toBe(403);
    // Each targeted check follows the route's untargeted entry check (a denied target the caller may read is 403, not 404).
    expect(asked.filter((r) => r.resourceRef)).toEqual([
      { permission: 'scorecards.exemption.request', resourceRef: 'component:default/locked' },
      { permission: 'scorecards.exemption.create', resourceRef: 'component:default/locked' },
      { permission: 'scorecards.exemption.create', resourceRef: 'component:default/locked' },
    ]);
    expect(asked.filter((r) => !r.resourceRef)).toEqual([{ permission: 'scorecards.exemption.request' }, { permission: 'scorecards.exemption.create' }]);
    const pending = await api<{ items: Array<{ id: string }> }>('/exemptions?status=requested');
    expect(pending.body.items.map((e) => e.id)).toEqual([requested.body.id]);
    expect((await api<{ items: unknown[] }>('/exemptions')).body.items).toEqual([]);
  });

  it('documents every route in /api/openapi.json with its permission', async () => {
    const doc = (await backend.json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/api/openapi.json')).body;
    const ops = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/scorecards/'))
      .flatMap(([p, item]) => Object.entries(item).map(([method, op]) => `${method} ${p} ${JSON.stringify(op['x-atrium-permission'])}`));
    expect(ops).toHaveLength(19);
    expect(ops).toContain('post /api/scorecards/exemptions/{id}/grant "scorecards.exemption.create"');
    expect(ops).toContain('get /api/scorecards/rule-errors "scorecards.rule-errors.read"');
  });
});
