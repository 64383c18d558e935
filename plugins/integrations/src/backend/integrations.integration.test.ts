import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createPermissions, createServiceFactory, type AuditEvent } from '@atrium/backend-plugin-api';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { startFakeGitHubApi, startTestBackend, testDatabaseKinds, waitFor, type FakeGitHubApi } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult, DiscoveryStatus, IntegrationSummary } from '../common/index.js';
import { integrationsPlugin } from './plugin.js';
import { SecretBox } from './secretBox.js';

const GOOD = 'ghp_goodtoken0000000000000000000000000000';
const NARROW = 'ghp_narrowtoken00000000000000000000000000';

describe.each(testDatabaseKinds())('admin-added integrations on %s', (database) => {
  let gh: FakeGitHubApi;
  let t: Awaited<ReturnType<typeof startTestBackend>>;
  let dataDir: string;
  const audited: AuditEvent[] = [];

  beforeAll(async () => {
    gh = await startFakeGitHubApi();
    gh.addToken(GOOD, { login: 'atrium-bot', scopes: ['repo', 'read:org', 'user'] });
    gh.addToken(NARROW, { login: 'narrow-bot', scopes: ['public_repo'] });
    gh.addTeam({ org: 'acme', slug: 'platform', name: 'Platform', members: ['ann', 'bob'] });
    gh.addTeam({ org: 'acme', slug: 'payments', name: 'Payments', parent: 'platform', members: ['bob'] });
    gh.addRepo({
      owner: 'acme',
      name: 'orders',
      topics: ['payments'],
      language: 'TypeScript',
      adminTeams: ['payments'],
      files: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/payments\n',
      },
    });
    gh.addRepo({ owner: 'acme', name: 'legacy-billing', topics: ['payments'], language: 'Java', adminTeams: ['payments'] });
    gh.addRepo({ owner: 'acme', name: 'docs-site', files: { '.github/CODEOWNERS': '# owners\n* @acme/platform\n' } });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-integrations-'));
    t = await startTestBackend({
      plugins: [catalogPlugin, integrationsPlugin],
      database,
      // No encryption key configured: the plugin generates one in the data dir.
      config: { backend: { dataDir, reading: { allowPrivateNetworks: true } } },
      services: [
        createServiceFactory(coreServices.audit, () => ({ record: (e: AuditEvent) => void audited.push(e) })),
        createServiceFactory(coreServices.permissions, () =>
          createPermissions((_c, { permission }) =>
            permission === 'integrations.integration.delete' ? { result: 'DENY', reason: 'not an admin' } : { result: 'ALLOW' },
          ),
        ),
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
    await gh?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const add = (body: Record<string, unknown>) => t.json<IntegrationSummary>('/api/integrations/integrations', { method: 'POST', body });

  it('stores the token encrypted (AES-256-GCM, key file 0600 in the data dir) and never returns it', async () => {
    const res = await add({
      kind: 'github',
      name: 'acme',
      apiBaseUrl: gh.url,
      token: GOOD,
      webhookSecret: 'whsec-123456',
      discovery: { org: 'acme', syncOrg: true },
    });
    expect(res.status).toBe(201);
    const keyFile = path.join(dataDir, 'integrations', 'secret.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const serialized = JSON.stringify([
      res.body,
      (await t.json('/api/integrations/integrations')).body,
      (await t.json(`/api/integrations/integrations/${res.body.id}`)).body,
      audited,
    ]);
    expect(serialized).not.toContain(GOOD);
    expect(serialized).not.toContain('whsec-123456');
    expect(res.body.secretsSet.sort()).toEqual(['token', 'webhookSecret']);
    expect(audited.some((a) => a.action === 'integrations.integration.create' && a.target === `integration:${res.body.id}`)).toBe(true);
    // At rest: ciphertext bound to the row, which the key file's key opens and nothing else does.
    const db = await t.backend.database.forSchema('integrations');
    const sealed = ((await db('integrations').where({ id: res.body.id }).first()) as { credentials: string }).credentials;
    expect(sealed).not.toContain(GOOD);
    expect(JSON.parse(SecretBox.fromText(fs.readFileSync(keyFile, 'utf8').trim()).decrypt(sealed, res.body.id))).toMatchObject({ token: GOOD });
    expect(() => SecretBox.fromText('y'.repeat(40)).decrypt(sealed, res.body.id)).toThrow(/cannot be decrypted/);
    expect(() => SecretBox.fromText(fs.readFileSync(keyFile, 'utf8').trim()).decrypt(sealed, 'another-row')).toThrow();
  });

  it('tests the connection, finds the repositories and syncs teams as Groups and Users', async () => {
    const id = (await t.json<{ items: IntegrationSummary[] }>('/api/integrations/integrations')).body.items.find((i) => i.name === 'acme')!.id;
    const test = await t.json<ConnectionTestResult>(`/api/integrations/integrations/${id}/test`, { method: 'POST' });
    expect(test.body).toMatchObject({ ok: true, identity: 'atrium-bot', missingScopes: [] });
    const st = await waitFor(
      async () => {
        const s = (await t.json<{ items: DiscoveryStatus[] }>(`/api/integrations/integrations/${id}/status`)).body.items[0];
        return s?.scanFinishedAt && s.status === 'idle' ? s : false;
      },
      { timeoutMs: 20_000 },
    );
    expect(st).toMatchObject({ reposScanned: 3, reposWithDescriptor: 1, entities: 1 });
    expect(st.rateLimit.remaining).toEqual(expect.any(Number));
    expect(st.repos.map((r) => r.name)).toContain('acme/orders');
    const catalog = t.backend.service(catalogServiceRef);
    expect(await catalog.getEntityByRef('component:default/orders')).toBeDefined();
    // Repositories without a descriptor are not imported unless asked...
    expect(await catalog.getEntityByRef('component:default/legacy-billing')).toBeUndefined();
    // ...but previewed: owner from CODEOWNERS, else the team with admin rights; topics and language as tags.
    const preview = await t.json<{ items: Array<{ metadata: { name: string; tags: string[] }; spec: { owner: string } }> }>(
      `/api/integrations/integrations/${id}/preview`,
    );
    const byName = Object.fromEntries(preview.body.items.map((e) => [e.metadata.name, e]));
    expect(byName['legacy-billing']).toMatchObject({ spec: { owner: 'group:default/payments' }, metadata: { tags: ['payments', 'java'] } });
    expect(byName['docs-site']).toMatchObject({ spec: { owner: 'group:default/platform' } });
    // Org sync: teams with parent/children, members with memberOf.
    await waitFor(async () => !!(await catalog.getEntityByRef('group:default/payments')), { timeoutMs: 10_000 });
    expect(await catalog.getEntityByRef('group:default/payments')).toMatchObject({ spec: { parent: 'group:default/platform' } });
    expect(await catalog.getEntityByRef('group:default/platform')).toMatchObject({ spec: { children: ['group:default/payments'] } });
    expect((await catalog.getEntityByRef('user:default/bob'))?.spec?.['memberOf']).toEqual(['group:default/platform', 'group:default/payments']);
  });

  it('names the missing scopes of a narrow token, and says when a token was revoked', async () => {
    const narrow = await add({ kind: 'github', name: 'narrow', apiBaseUrl: gh.url, token: NARROW });
    const test = await t.json<ConnectionTestResult>(`/api/integrations/integrations/${narrow.body.id}/test`, { method: 'POST' });
    expect(test.body).toMatchObject({ ok: false, identity: 'narrow-bot', missingScopes: ['repo', 'read:org'] });
    expect(test.body.message).toMatch(/lacks the "repo" and "read:org" scopes/);
    gh.revokeToken(NARROW);
    const revoked = await t.json<ConnectionTestResult>(`/api/integrations/integrations/${narrow.body.id}/test`, { method: 'POST' });
    expect(revoked.body.ok).toBe(false);
    expect(revoked.body.message).toMatch(/revoked/);
    // The last result is kept on the integration.
    expect((await t.json<IntegrationSummary>(`/api/integrations/integrations/${narrow.body.id}`)).body.lastTest?.message).toMatch(/revoked/);
  });

  it('a GitHub App integration: tests as the app, finds its installation on the org, discovers', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    gh.addApp({ appId: 31337, slug: 'atrium-discovery', publicKey, installations: [{ id: 9001, account: 'acme-app' }] });
    gh.addRepo({
      owner: 'acme-app',
      name: 'inventory',
      files: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: inventory\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/platform\n',
      },
    });
    const app = await add({ kind: 'github', name: 'acme-app', apiBaseUrl: gh.url, appId: 31337, privateKey, discovery: { org: 'acme-app' } });
    expect(app.status).toBe(201);
    expect(JSON.stringify(app.body)).not.toContain('PRIVATE KEY');
    expect(app.body).toMatchObject({ authType: 'app', secretsSet: ['privateKey'] });
    const test = await t.json<ConnectionTestResult>(`/api/integrations/integrations/${app.body.id}/test`, { method: 'POST' });
    expect(test.body).toMatchObject({ ok: true, identity: 'atrium-discovery' });
    await waitFor(async () => !!(await t.backend.service(catalogServiceRef).getEntityByRef('component:default/inventory')), { timeoutMs: 20_000 });
  });

  it('refuses bad input with 400 and checks permissions', async () => {
    expect((await add({ kind: 'github', name: 'no-creds', apiBaseUrl: gh.url })).status).toBe(400);
    expect((await add({ kind: 'github', name: 'half-app', apiBaseUrl: gh.url, appId: 1 })).status).toBe(400);
    expect((await add({ kind: 'github', name: 'bad url', apiBaseUrl: 'file:///etc/passwd', token: 'x' })).status).toBe(400);
    expect((await add({ kind: 'github', name: 'bad-org', apiBaseUrl: gh.url, token: 'x', discovery: { org: '--upload-pack' } })).status).toBe(400);
    expect((await add({ kind: 'nope', name: 'x', token: 'x' })).status).toBe(400);
    expect((await add({ kind: 'github', name: 'acme', apiBaseUrl: gh.url, token: 'x' })).status).toBe(409);
    const id = (await t.json<{ items: IntegrationSummary[] }>('/api/integrations/integrations')).body.items.find((i) => i.name === 'acme')!.id;
    expect((await t.fetch(`/api/integrations/integrations/${id}`, { method: 'DELETE' })).status).toBe(403);
  });
});

describe('the SSRF guard', () => {
  it('refuses an API URL on a private network unless backend.reading.allowPrivateNetworks', { timeout: 180_000 }, async () => {
    const t = await startTestBackend({ plugins: [catalogPlugin, integrationsPlugin], config: { integrations: { encryptionKey: 'z'.repeat(40) } } });
    try {
      const res = await t.json<{ error: { message: string } }>('/api/integrations/integrations', {
        method: 'POST',
        body: { kind: 'github', name: 'internal', apiBaseUrl: 'http://169.254.169.254/api/v3', token: 'x' },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/allowPrivateNetworks/);
    } finally {
      await t.stop();
    }
  });
});
