import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../auth/hostAuth.js';
import { defaultPlugins } from '../plugins.js';
import { PermissionCatalogue } from './catalogue.js';
import { PolicyEvaluator } from './evaluator.js';

const ORG_YAML = `
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: asmith }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: root }
spec: { memberOf: [platform] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-b }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: svc-a }
spec: { type: service, lifecycle: experimental, owner: team-a }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: svc-b }
spec: { type: service, lifecycle: experimental, owner: team-b }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: svc-c }
spec: { type: service, lifecycle: production, owner: team-a }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: golden-path, tags: [golden] }
spec:
  type: service
  owner: team-b
  steps: [{ id: log, action: 'debug:log', input: { message: hello } }]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: experiment }
spec:
  type: service
  owner: team-b
  steps: [{ id: log, action: 'debug:log', input: { message: hello } }]
`;

const POLICY = {
  roles: { admin: { members: ['group:default/platform'] } },
  rules: [
    { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
    { effect: 'allow', permissions: ['catalog.entity.read', 'permission.catalogue.read'] },
    { id: 'owners', effect: 'allow', permissions: ['catalog.entity.delete', 'catalog.entity.refresh', 'techdocs.build'], conditions: { isEntityOwner: true } },
    { id: 'keep-production', effect: 'deny', permissions: ['catalog.entity.delete'], conditions: { lifecycle: 'production' } },
    { id: 'golden-templates', effect: 'allow', permissions: ['scaffolder.task.create', 'scaffolder.task.read'], conditions: { hasTag: 'golden' } },
  ],
};

interface Decision {
  permission: string;
  resourceRef?: string;
  decision: 'allow' | 'deny';
  reason?: string;
  ruleIndex?: number;
  ruleId?: string;
  conditional?: boolean;
}

const cookieOf = (secret: string) => ({ cookie: `${SESSION_COOKIE}=${secret}` });

describe.each(testDatabaseKinds())('permission policy over HTTP (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  const as: Record<string, Record<string, string>> = {};

  const authorize = async (who: Record<string, string>, items: Array<{ permission: string; resourceRef?: string }>) => {
    const res = await b.json<{ items: Decision[] }>('/api/permissions/authorize', { method: 'POST', headers: who, body: { items } });
    expect(res.status).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-permissions-test-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), ORG_YAML);
    b = await startTestBackend({
      database,
      plugins: defaultPlugins,
      configDir: dir,
      config: {
        backend: { reading: { fileRoots: [dir] } },
        catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
        permission: { policy: POLICY },
      },
    });
    await waitFor(
      async () =>
        (await b.backend.service(catalogServiceRef).getEntitiesByRefs(['component:default/svc-c', 'template:default/experiment'])).every(
          (e) => e !== undefined,
        ),
      {
        timeoutMs: 30_000,
        message: 'the example entities are in the catalog',
      },
    );
    for (const name of ['jdoe', 'asmith', 'root']) as[name] = cookieOf((await b.backend.auth.sessions.create(`user:default/${name}`)).secret);
    as['guest'] = {};
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the matrix: every permission in the catalogue is allowed to the admin role and denied to the guest', async () => {
    const catalogue = await b.json<{ items: Array<{ name: string; declaredBy: string }> }>('/api/permissions/catalogue', { headers: as['root'] });
    expect(catalogue.status).toBe(200);
    const names = catalogue.body.items.map((p) => p.name);
    for (const expected of [
      'catalog.entity.read',
      'catalog.entity.delete',
      'techdocs.build',
      'scorecards.read',
      'scaffolder.task.create',
      'audit.log.read',
      'system.info.read',
      'notifications.notification.read',
      'auth.token.create',
      'permission.explain',
    ]) {
      expect(names).toContain(expected);
    }
    const items = names.map((permission) => ({ permission }));
    const admin = await authorize(as['root']!, items);
    const guest = await authorize(as['guest']!, items);
    for (let i = 0; i < names.length; i++) {
      expect(admin[i], names[i]).toMatchObject({ permission: names[i], decision: 'allow', ruleId: 'admins' });
      expect(guest[i], names[i]).toMatchObject({ permission: names[i], decision: 'deny' });
    }
  });

  it('a signed-in user reads; conditional permissions are allowed conditionally without a target', async () => {
    const [read, audit, del] = await authorize(as['asmith']!, [
      { permission: 'catalog.entity.read' },
      { permission: 'audit.log.read' },
      { permission: 'catalog.entity.delete' },
    ]);
    expect(read).toMatchObject({ decision: 'allow', ruleIndex: 1 });
    expect(audit).toMatchObject({ decision: 'deny' });
    expect(del).toMatchObject({ decision: 'allow', conditional: true, ruleId: 'owners' });
  });

  it('ownership through a group: the owner may delete, another user may not, and deny wins for production entities', async () => {
    const refs = ['component:default/svc-a', 'component:default/svc-b', 'component:default/svc-c'];
    const mine = await authorize(
      as['jdoe']!,
      refs.map((resourceRef) => ({ permission: 'catalog.entity.delete', resourceRef })),
    );
    expect(mine.map((d) => d.decision)).toEqual(['allow', 'deny', 'deny']);
    expect(mine[2]).toMatchObject({ ruleId: 'keep-production', ruleIndex: 3 });
    const other = await authorize(
      as['asmith']!,
      refs.map((resourceRef) => ({ permission: 'catalog.entity.refresh', resourceRef })),
    );
    expect(other.map((d) => d.decision)).toEqual(['deny', 'deny', 'deny']);
    const admin = await authorize(
      as['root']!,
      refs.map((resourceRef) => ({ permission: 'catalog.entity.delete', resourceRef })),
    );
    expect(admin.map((d) => d.decision)).toEqual(['allow', 'allow', 'deny']);
  });

  it('a route checks the policy before its handler, and the denial is in the audit log', async () => {
    expect((await b.fetch('/api/system/audit/events', { headers: as['asmith'] })).status).toBe(403);
    expect((await b.fetch('/api/system/info', { headers: as['jdoe'] })).status).toBe(403);
    const log = await b.json<{ items: Array<{ actor: string; action: string; outcome: string; meta: { permission: string } }> }>(
      '/api/system/audit/events?action=permission.denied&actor=user:default/asmith',
      { headers: as['root'] },
    );
    expect(log.status).toBe(200);
    expect(log.body.items[0]).toMatchObject({
      actor: 'user:default/asmith',
      action: 'permission.denied',
      outcome: 'denied',
      meta: { permission: 'audit.log.read' },
    });
  });

  it('explain: the decision for another user and the rule that made it; admins only; unknown user 404', async () => {
    const res = await b.json<Decision & { rule: string; roles: string[]; ownershipEntityRefs: string[] }>('/api/permissions/explain', {
      method: 'POST',
      headers: as['root'],
      body: { user: 'user:default/jdoe', permission: 'catalog.entity.delete', resourceRef: 'component:default/svc-c' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'deny', ruleIndex: 3, ruleId: 'keep-production', roles: [] });
    expect(res.body.ownershipEntityRefs).toContain('group:default/team-a');
    expect(res.body.rule).toBe('rule 4 "keep-production" (deny catalog.entity.delete when lifecycle = production)');
    expect(res.body.reason).toBe(`catalog.entity.delete denied by ${res.body.rule}`);

    const guest = await b.json<Decision>('/api/permissions/explain', {
      method: 'POST',
      headers: as['root'],
      body: { user: 'guest', permission: 'catalog.entity.read' },
    });
    expect(guest.body).toMatchObject({ decision: 'deny' });
    expect(
      (
        await b.json('/api/permissions/explain', {
          method: 'POST',
          headers: as['root'],
          body: { user: 'user:default/nobody', permission: 'catalog.entity.read' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await b.json('/api/permissions/explain', { method: 'POST', headers: as['root'], body: { user: 'user:default/jdoe', permission: 'no.such.permission' } }))
        .status,
    ).toBe(400);
    expect(
      (
        await b.json('/api/permissions/explain', {
          method: 'POST',
          headers: as['jdoe'],
          body: { user: 'user:default/root', permission: 'catalog.entity.read' },
        })
      ).status,
    ).toBe(403);

    // Without a permission: the whole catalogue for that user (an admin page's overview).
    const all = await b.json<{ roles: string[]; items: Array<Decision & { rule?: string }> }>('/api/permissions/explain', {
      method: 'POST',
      headers: as['root'],
      body: { user: 'user:default/root' },
    });
    expect(all.status).toBe(200);
    expect(all.body.roles).toEqual(['admin']);
    expect(all.body.items.length).toBeGreaterThan(20);
    expect(all.body.items.every((d) => d.decision === 'allow' && d.rule === 'rule 1 "admins" (allow * for role admin)')).toBe(true);
  });

  it('queryConditions compiles to the catalog filter language: the by-query endpoint returns exactly the visible entities', async () => {
    const catalogue = PermissionCatalogue.fromPlugins(defaultPlugins);
    const evaluator = new PolicyEvaluator(
      {
        rules: [
          { effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isEntityOwner: true } },
          { effect: 'allow', permissions: ['catalog.entity.read'], conditions: { kind: 'group' } },
          { effect: 'deny', permissions: ['catalog.entity.read'], conditions: { lifecycle: 'production' } },
        ],
      },
      catalogue,
    );
    const jdoe = {
      type: 'user' as const,
      userEntityRef: 'user:default/jdoe',
      ownershipEntityRefs: ['user:default/jdoe', 'group:default/team-a'],
      displayName: 'jdoe',
    };
    const visible = evaluator.queryConditions(jdoe, 'catalog.entity.read');
    expect(visible.result).toBe('filter');
    const res = await b.json<{ items: Array<{ kind: string; metadata: { name: string } }> }>('/api/catalog/entities/by-query', {
      method: 'POST',
      headers: as['root'],
      body: { query: visible.result === 'filter' ? visible.predicate : {}, limit: 100 },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((e) => `${e.kind}:${e.metadata.name}`).sort()).toEqual(['Component:svc-a', 'Group:platform', 'Group:team-a', 'Group:team-b']);
  });

  it('templates: a policy allows running only the templates it names (conditions on the Template entity)', async () => {
    const [golden, experiment] = await authorize(as['asmith']!, [
      { permission: 'scaffolder.task.create', resourceRef: 'template:default/golden-path' },
      { permission: 'scaffolder.task.create', resourceRef: 'template:default/experiment' },
    ]);
    expect(golden).toMatchObject({ decision: 'allow', ruleId: 'golden-templates' });
    expect(experiment).toMatchObject({ decision: 'deny' });
    const run = (templateRef: string) =>
      b.fetch('/api/scaffolder/v2/tasks', {
        method: 'POST',
        headers: { ...as['asmith'], 'content-type': 'application/json' },
        body: JSON.stringify({ templateRef, values: {} }),
      });
    expect((await run('template:default/experiment')).status).toBe(403);
    expect((await run('template:default/golden-path')).status).toBe(201);
  });

  it('a group registered through the API confers no role: membership comes only from trusted (configured) locations', async () => {
    fs.writeFileSync(
      path.join(dir, 'rogue.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: rogue }\nspec: { type: team, parent: platform, children: [], members: [asmith] }\n',
    );
    const added = await b.json('/api/catalog/locations', { method: 'POST', headers: as['root'], body: { type: 'file', target: path.join(dir, 'rogue.yaml') } });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await waitFor(
      async () =>
        ((await b.backend.service(catalogServiceRef).getEntityByRef('user:default/asmith'))?.relations ?? []).some(
          (r) => r.type === 'memberOf' && r.targetRef === 'group:default/rogue',
        ),
      { timeoutMs: 30_000, message: 'asmith is a member of the registered group in the catalog' },
    );
    const [audit] = await authorize(as['asmith']!, [{ permission: 'audit.log.read' }]);
    expect(audit).toMatchObject({ decision: 'deny' });
    const explained = await b.json<{ roles: string[]; ownershipEntityRefs: string[] }>('/api/permissions/explain', {
      method: 'POST',
      headers: as['root'],
      body: { user: 'user:default/asmith', permission: 'audit.log.read' },
    });
    expect(explained.body).toMatchObject({ roles: [], ownershipEntityRefs: ['user:default/asmith'] });
  });

  it('authorize takes at most 100 checks', async () => {
    const items = Array.from({ length: 101 }, () => ({ permission: 'catalog.entity.read' }));
    expect((await b.json('/api/permissions/authorize', { method: 'POST', headers: as['jdoe'], body: { items } })).status).toBe(400);
  });
});

describe('a policy that names an unknown permission', () => {
  it('stops the start, naming the file and the key', async () => {
    await expect(
      startTestBackend({
        plugins: defaultPlugins,
        config: { permission: { policy: { rules: [{ effect: 'allow', permissions: ['catalog.entity.reed'] }] } } },
      }),
    ).rejects.toThrow(
      /test-config\.yaml: permission\.policy\.rules\.0\.permissions\.0: unknown permission "catalog\.entity\.reed" \(did you mean catalog\.entity\.read\?\)/,
    );
  });
});
