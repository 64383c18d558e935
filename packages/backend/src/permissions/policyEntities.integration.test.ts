import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { startTestBackend, testDatabaseKinds, waitFor, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../auth/hostAuth.js';

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: root }
spec: { memberOf: [platform] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: asmith }
spec: { memberOf: [] }
`;

/** A Policy entity granting catalog.location.delete to `who` (or any spec given). */
const policyDoc = (name: string, spec: object) => JSON.stringify({ apiVersion: 'atrium.dev/v1alpha1', kind: 'Policy', metadata: { name }, spec });
const grantAudit = (who: string) => ({ rules: [{ id: 'auditors', effect: 'allow', permissions: ['catalog.location.delete'], subjects: [who] }] });

const BASE_POLICY = {
  roles: { admin: { members: ['group:default/platform'] } },
  rules: [
    { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
    { id: 'read', effect: 'allow', permissions: ['catalog.entity.read'] },
  ],
};
const POLICY_KIND = { apiVersion: 'atrium.dev/v1alpha1', kind: 'Policy', specSchema: { type: 'object' } };

type Sources = { trustedLocations: string[]; items: Array<{ entityRef: string; status: string; error?: string; lastGoodInForce?: boolean; rules: number }> };

describe.each(testDatabaseKinds())('Policy entities from trusted locations (%s)', (database) => {
  let b: TestBackend;
  let dir: string;
  const as: Record<string, Record<string, string>> = {};
  const may = async (who: string, permission: string) => {
    const res = await b.json<{ items: Array<{ decision: string; ruleId?: string }> }>('/api/permissions/authorize', {
      method: 'POST',
      headers: as[who] ?? {},
      body: { items: [{ permission }] },
    });
    expect(res.status).toBe(200);
    return res.body.items[0]?.decision === 'allow';
  };
  const sources = async () => (await b.json<Sources>('/api/permissions/policies', { headers: as['root'] ?? {} })).body;
  const rewritePolicies = async (content: string) => {
    fs.writeFileSync(path.join(dir, 'policies.yaml'), content);
    await b.backend.service(catalogServiceRef).refreshEntity('policy:default/audit');
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-policy-entities-'));
    fs.writeFileSync(path.join(dir, 'org.yaml'), ORG);
    fs.writeFileSync(path.join(dir, 'policies.yaml'), policyDoc('audit', grantAudit('user:default/jdoe')));
    b = await startTestBackend({
      database,
      plugins: [catalogPlugin],
      configDir: dir,
      config: {
        backend: { reading: { fileRoots: [dir] } },
        catalog: {
          processingPollMs: 100,
          readers: { fileRoots: [dir] },
          kinds: [POLICY_KIND],
          locations: [
            { type: 'file', target: './org.yaml' },
            { type: 'file', target: './policies.yaml' },
          ],
        },
        permission: { policy: BASE_POLICY, trustedLocations: [{ type: 'file', target: './policies.yaml' }] },
      },
    });
    for (const name of ['jdoe', 'asmith', 'root'])
      as[name] = { cookie: `${SESSION_COOKIE}=${(await b.backend.auth.sessions.create(`user:default/${name}`)).secret}` };
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a Policy entity from a trusted location extends the config policy; GET /policies says so', async () => {
    await waitFor(() => may('jdoe', 'catalog.location.delete'), { timeoutMs: 30_000, message: 'the Policy entity is in force' });
    expect(await may('asmith', 'catalog.location.delete')).toBe(false);
    const s = await sources();
    expect(s.trustedLocations).toEqual([`file:${path.join(dir, 'policies.yaml')}`]);
    expect(s.items).toEqual([expect.objectContaining({ entityRef: 'policy:default/audit', status: 'active', rules: 1 })]);
    const explained = await b.json<{ decision: string; ruleId: string; rule: string }>('/api/permissions/explain', {
      method: 'POST',
      headers: as['root'] ?? {},
      body: { user: 'user:default/jdoe', permission: 'catalog.location.delete' },
    });
    expect(explained.body).toMatchObject({ decision: 'allow', ruleId: 'policy:default/audit:auditors' });
    expect(explained.body.rule).toMatch(/^rule 3 "policy:default\/audit:auditors" \(allow catalog\.location\.delete for user:default\/jdoe\)$/);
  });

  it('is hot-reloaded when the entity changes', async () => {
    await rewritePolicies(policyDoc('audit', grantAudit('user:default/asmith')));
    await waitFor(async () => (await may('asmith', 'catalog.location.delete')) && !(await may('jdoe', 'catalog.location.delete')), {
      timeoutMs: 30_000,
      message: 'the new version is in force',
    });
  });

  it('a version that fails validation is refused with the error, and the last good version stays in force', async () => {
    const bad = {
      rules: [
        { effect: 'allow', permissions: ['catalog.location.delet'], subjects: ['user:default/jdoe'] },
        { effect: 'allow', permissions: ['catalog.entity.delete'], conditions: { isOwner: true } },
      ],
    };
    await rewritePolicies(policyDoc('audit', bad));
    const s = await waitFor(
      async () => {
        const r = await sources();
        return r.items[0]?.status === 'rejected' ? r : false;
      },
      { timeoutMs: 30_000, message: 'the bad version is refused' },
    );
    expect(s.items[0]).toMatchObject({ lastGoodInForce: true, rules: 1 });
    expect(s.items[0]?.error).toMatch(/spec\.rules\.1\.conditions/);
    expect(s.items[0]?.error).toMatch(/isOwner/);
    // Fixing the condition leaves the unknown permission: refused again, naming file (the entity) and key.
    await rewritePolicies(policyDoc('audit', { rules: [bad.rules[0]] }));
    await waitFor(
      async () =>
        /policy:default\/audit: spec\.rules\.0\.permissions\.0: unknown permission "catalog\.location\.delet" \(did you mean catalog\.location\.delete\?\)/.test(
          (await sources()).items[0]?.error ?? '',
        ),
      {
        timeoutMs: 30_000,
        message: 'the unknown permission is named',
      },
    );
    expect(await may('asmith', 'catalog.location.delete')).toBe(true);
    expect(await may('jdoe', 'catalog.location.delete')).toBe(false);
  });

  it('a Policy entity (or a User) from a location registered through the API confers nothing', async () => {
    fs.writeFileSync(
      path.join(dir, 'rogue.yaml'),
      [
        policyDoc('rogue', {
          roles: { admin: { members: ['user:default/mallory'] } },
          rules: [{ effect: 'allow', permissions: ['*'], subjects: ['user:default/jdoe'] }],
        }),
        JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'mallory' }, spec: { memberOf: ['platform'] } }),
      ].join('\n---\n'),
    );
    const added = await b.json('/api/catalog/locations', {
      method: 'POST',
      headers: as['root'] ?? {},
      body: { type: 'file', target: path.join(dir, 'rogue.yaml') },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const s = await waitFor(
      async () => {
        const r = await sources();
        return r.items.find((i) => i.entityRef === 'policy:default/rogue') ?? false;
      },
      { timeoutMs: 30_000, message: 'the rogue Policy entity is seen' },
    );
    expect(s).toMatchObject({ status: 'ignored', rules: 0 });
    expect(s.error).toMatch(/not list/);
    expect(await may('jdoe', 'catalog.location.delete')).toBe(false);
    // mallory claims membership of the admin group, from an untrusted location: no admin rights.
    await waitFor(async () => Boolean(await b.backend.service(catalogServiceRef).getEntityByRef('user:default/mallory')), {
      timeoutMs: 30_000,
      message: 'mallory is in the catalog',
    });
    as['mallory'] = { cookie: `${SESSION_COOKIE}=${(await b.backend.auth.sessions.create('user:default/mallory')).secret}` };
    expect(await may('mallory', 'catalog.location.delete')).toBe(false);
    const explained = await b.json<{ roles: string[]; ownershipEntityRefs: string[] }>('/api/permissions/explain', {
      method: 'POST',
      headers: as['root'] ?? {},
      body: { user: 'user:default/mallory', permission: 'catalog.location.delete' },
    });
    expect(explained.body).toMatchObject({ roles: [], ownershipEntityRefs: ['user:default/mallory'] });
  });

  it('removing the entity removes its rules', async () => {
    await rewritePolicies(
      JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'placeholder' }, spec: { type: 'team', children: [] } }),
    );
    await waitFor(async () => !(await may('asmith', 'catalog.location.delete')), { timeoutMs: 30_000, message: 'the removed entity no longer grants' });
    expect((await sources()).items.map((i) => i.entityRef)).toEqual(['policy:default/rogue']);
  });
});

describe('permission config that does not hold together', () => {
  it('an unknown condition stops the start, naming the file and the key', async () => {
    await expect(
      startTestBackend({
        plugins: [catalogPlugin],
        config: { permission: { policy: { rules: [{ effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isOwner: true } }] } } },
      }),
    ).rejects.toThrow(/test-config\.yaml.*permission\.policy\.rules\.0\.conditions.*isOwner/s);
  });

  it('a trusted location that is not one of catalog.locations stops the start', async () => {
    await expect(
      startTestBackend({
        plugins: [catalogPlugin],
        config: {
          catalog: { locations: [] },
          permission: { policy: BASE_POLICY, trustedLocations: [{ type: 'url', target: 'https://example.com/policies.yaml' }] },
        },
      }),
    ).rejects.toThrow(/test-config\.yaml: permission\.trustedLocations\.0: url:https:\/\/example\.com\/policies\.yaml is not one of catalog\.locations/);
  });
});
