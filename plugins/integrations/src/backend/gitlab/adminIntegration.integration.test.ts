import { catalogPlugin, catalogServiceRef, type CatalogService } from '@atrium/plugin-catalog/backend';
import { startFakeGitLabApi, startTestBackend, waitFor, type FakeGitLabApi, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestResult, DiscoveryStatus, IntegrationSummary } from '../../common/index.js';
import { integrationsPlugin } from '../plugin.js';

/** A GitLab integration an admin adds through the API: connection test, discovery, status, webhook secret. */
describe('an admin-added GitLab integration', () => {
  let gitlab: FakeGitLabApi;
  let backend: TestBackend;
  let catalog: CatalogService;

  beforeAll(async () => {
    gitlab = await startFakeGitLabApi();
    gitlab.addGroup({ fullPath: 'team' });
    gitlab.addProject({
      pathWithNamespace: 'team/billing',
      files: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: billing\nspec:\n  type: service\n  lifecycle: production\n  owner: team\n',
      },
    });
    backend = await startTestBackend({
      plugins: [catalogPlugin, integrationsPlugin],
      // The fake listens on 127.0.0.1: the SSRF guard refuses it unless private networks are allowed.
      config: { backend: { reading: { allowPrivateNetworks: true } } },
    });
    catalog = backend.backend.service(catalogServiceRef);
  }, 120_000);
  afterAll(async () => {
    await backend?.stop();
    await gitlab?.stop();
  });

  it('tests the connection, discovers its group and reports the status', async () => {
    const created = await backend.json<IntegrationSummary>('/api/integrations/integrations', {
      method: 'POST',
      body: {
        kind: 'gitlab',
        name: 'Team GitLab',
        apiBaseUrl: gitlab.apiUrl,
        token: gitlab.token,
        webhookSecret: 'team-secret-123',
        discovery: { group: 'team', intervalSeconds: 30 },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'gitlab', secretsSet: expect.arrayContaining(['token', 'webhookSecret']) });
    const id = created.body.id;

    const test = await backend.json<ConnectionTestResult>(`/api/integrations/integrations/${id}/test`, { method: 'POST', body: {} });
    expect(test.body).toMatchObject({ ok: true, identity: 'root', scopes: ['api', 'read_repository'], missingScopes: [] });

    await waitFor(async () => expect(await catalog.getEntityByRef('component:default/billing')).toBeDefined(), { timeoutMs: 60_000 });
    const status = await backend.json<{ items: DiscoveryStatus[] }>(`/api/integrations/integrations/${id}/status`);
    expect(status.body.items).toEqual([
      expect.objectContaining({
        integrationId: id,
        owner: 'team',
        reposWithDescriptor: 1,
        repos: [expect.objectContaining({ name: 'team/billing', entities: 1 })],
      }),
    ]);

    // its webhook secret is the stored one
    const hook = await backend.fetch('/api/integrations/gitlab/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gitlab-token': 'team-secret-123' },
      body: JSON.stringify({ object_kind: 'tag_push' }),
    });
    expect(hook.status).toBe(202);
  }, 120_000);

  it('says when the token is refused', async () => {
    const created = await backend.json<IntegrationSummary>('/api/integrations/integrations', {
      method: 'POST',
      body: { kind: 'gitlab', name: 'Revoked', apiBaseUrl: gitlab.apiUrl, token: 'glpat-revoked' },
    });
    const test = await backend.json<ConnectionTestResult>(`/api/integrations/integrations/${created.body.id}/test`, { method: 'POST', body: {} });
    expect(test.body).toMatchObject({ ok: false, message: expect.stringMatching(/refused the token \(401/) });
  });
});
