import { catalogPlugin, catalogServiceRef, type CatalogService } from '@atrium/plugin-catalog/backend';
import { startFakeGitLabApi, startTestBackend, testDatabaseKinds, waitFor, type FakeGitLabApi, type TestBackend } from '@atrium/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryStatus } from '../../common/index.js';
import { integrationsPlugin } from '../plugin.js';

const SECRET = 'gitlab-webhook-secret-1';

const descriptor = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
  type: service
  lifecycle: production
  owner: platform${extra}
`;

/**
 * GitLab discovery end to end: a fake GitLab speaking the REST v4 API (driven by our side
 * through @gitbeaker/rest), the integrations plugin configured with one group, the catalog.
 * The scheduler runs a scan every second; the test waits for what it expects.
 */
describe.each(testDatabaseKinds())('GitLab discovery and webhook on %s', (database) => {
  let gitlab: FakeGitLabApi;
  let backend: TestBackend;
  let catalog: CatalogService;

  const status = async (): Promise<DiscoveryStatus> => {
    const { body } = await backend.json<{ items: DiscoveryStatus[] }>('/api/integrations/discovery');
    const found = body.items.find((s) => s.targetId === 'acme');
    if (!found) throw new Error(`no acme target in ${JSON.stringify(body)}`);
    return found;
  };
  const hook = (body: unknown, headers: Record<string, string> = {}) =>
    backend.fetch('/api/integrations/gitlab/webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    gitlab = await startFakeGitLabApi();
    gitlab.addGroup({ fullPath: 'acme', name: 'ACME' });
    gitlab.addGroup({ fullPath: 'acme/platform', name: 'Platform' });
    gitlab.addGroup({ fullPath: 'other' });
    // 105 filler projects: the group listing takes two pages of 100.
    for (let i = 0; i < 105; i++) gitlab.addProject({ pathWithNamespace: `acme/filler-${String(i).padStart(3, '0')}`, topics: ['misc'] });
    gitlab.addProject({ pathWithNamespace: 'acme/payments', topics: ['backstage'], files: { 'catalog-info.yaml': descriptor('payments') } });
    gitlab.addProject({
      pathWithNamespace: 'acme/platform/deployer',
      topics: ['backstage'],
      files: { 'catalog-info.yaml': `${descriptor('deployer')}---\n${descriptor('deployer-api').replace('Component', 'Component')}` },
    });
    gitlab.addProject({ pathWithNamespace: 'acme/platform/broken', topics: ['backstage'], files: { 'catalog-info.yaml': 'apiVersion: [unclosed\n' } });
    gitlab.addProject({
      pathWithNamespace: 'acme/platform/invalid-entity',
      topics: ['backstage'],
      files: { 'catalog-info.yaml': 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: "not a valid name!"\nspec: {}\n' },
    });
    gitlab.addProject({ pathWithNamespace: 'acme/old-thing', topics: ['backstage'], archived: true, files: { 'catalog-info.yaml': descriptor('old-thing') } });
    gitlab.addProject({ pathWithNamespace: 'acme/-upload-pack', topics: ['backstage'], files: { 'catalog-info.yaml': descriptor('evil-one') } });
    gitlab.addProject({
      pathWithNamespace: 'acme/evil-branch',
      topics: ['backstage'],
      defaultBranch: '--upload-pack=touch /tmp/pwned',
      files: { 'catalog-info.yaml': descriptor('evil-two') },
    });
    gitlab.addProject({ pathWithNamespace: 'other/elsewhere', topics: ['backstage'], files: { 'catalog-info.yaml': descriptor('elsewhere') } });
    gitlab.addUser({ username: 'alice', name: 'Alice A' });
    gitlab.addUser({ username: 'bob', name: 'Bob B' });
    gitlab.addUser({ username: 'mallory', state: 'blocked' });
    gitlab.addMember('acme', 'alice', 50);
    gitlab.addMember('acme/platform', 'bob');
    gitlab.addMember('acme/platform', 'alice');
    gitlab.addMember('acme/platform', 'mallory');

    backend = await startTestBackend({
      database,
      plugins: [catalogPlugin, integrationsPlugin],
      config: {
        catalog: { processingPollMs: 100 },
        integrations: {
          gitlab: [{ host: 'gitlab.test', apiBaseUrl: gitlab.apiUrl, token: gitlab.token }],
          discovery: {
            gitlab: [
              {
                id: 'acme',
                host: 'gitlab.test',
                group: 'acme',
                filters: { topics: ['backstage'] },
                schedule: { intervalSeconds: 1 },
                syncOrg: true,
                webhookSecret: SECRET,
                maxRetryWaitSeconds: 1,
              },
            ],
          },
        },
      },
    });
    catalog = backend.backend.service(catalogServiceRef);
    await waitFor(async () => expect((await status()).scanFinishedAt).not.toBeNull(), { timeoutMs: 90_000 });
  }, 150_000);

  afterAll(async () => {
    await backend?.stop();
    await gitlab?.stop();
  });

  it('discovers the descriptors of the group and its subgroups, across pages, with the filters applied', async () => {
    expect(await catalog.getEntityByRef('component:default/payments')).toMatchObject({
      metadata: {
        annotations: {
          'backstage.io/managed-by-location': expect.stringMatching(/\/acme\/payments\/-\/blob\/main\/catalog-info\.yaml$/),
          'gitlab.com/project-slug': 'acme/payments',
        },
      },
    });
    expect(await catalog.getEntityByRef('component:default/deployer')).toBeDefined();
    expect(await catalog.getEntityByRef('component:default/deployer-api')).toBeDefined();
    // archived (filtered out), outside the group, and refused names never arrive
    for (const name of ['old-thing', 'elsewhere', 'evil-one', 'evil-two']) expect(await catalog.getEntityByRef(`component:default/${name}`)).toBeUndefined();
    const pages = gitlab.requests.filter((r) => r.path === '/groups/acme/projects').map((r) => r.query);
    expect(pages[0]).toMatchObject({ include_subgroups: 'true', per_page: '100', page: '1', archived: 'false', order_by: 'id' });
    expect(pages.some((q) => q['page'] === '2')).toBe(true);
  });

  it('reports a bad descriptor and refused names on their project only', async () => {
    const s = await status();
    const byRepo = (repo: string) => s.errors.filter((e) => e.repo === repo).map((e) => e.message);
    expect(byRepo('acme/platform/broken').join()).toMatch(/not valid YAML/);
    expect(byRepo('acme/-upload-pack').join()).toMatch(/refused project path/);
    expect(byRepo('acme/evil-branch').join()).toMatch(/refused branch name/);
    expect(s.reposWithDescriptor).toBeGreaterThanOrEqual(3);
    // the invalid entity is refused by the catalog alone; the provider's status says so
    const provider = await catalog.getEntityProviderStatus('gitlab-acme');
    expect(JSON.stringify(provider?.errors)).toMatch(/not a valid name/);
    // no file was ever requested for the refused projects
    const fileReads = gitlab.requests.filter((r) => r.path.includes('/repository/files/'));
    const evil = [gitlab.project('acme/-upload-pack')!.id, gitlab.project('acme/evil-branch')!.id];
    expect(fileReads.filter((r) => evil.some((id) => r.path.startsWith(`/projects/${id}/`)))).toEqual([]);
  });

  it('does not read unchanged projects again on the next scan', async () => {
    // Let a scan in flight finish, then watch one whole scan.
    const first = (await status()).scanFinishedAt;
    await waitFor(async () => expect((await status()).scanFinishedAt).not.toBe(first), { timeoutMs: 20_000 });
    const before = (await status()).scanFinishedAt;
    const mark = gitlab.requests.length;
    await waitFor(async () => expect((await status()).scanFinishedAt).not.toBe(before), { timeoutMs: 20_000 });
    expect(gitlab.requests.slice(mark).filter((r) => r.path === '/groups/acme/projects').length).toBeGreaterThanOrEqual(2);
    const reads = gitlab.requests.slice(mark).filter((r) => r.path.includes('/repository/files/'));
    expect(reads).toEqual([]);
  });

  it('syncs the group tree and its members as Group and User entities', async () => {
    await waitFor(async () => expect(await catalog.getEntityByRef('group:default/acme-platform')).toBeDefined(), { timeoutMs: 20_000 });
    const platform = await catalog.getEntityByRef('group:default/acme-platform');
    expect(platform?.spec).toMatchObject({ type: 'team', parent: 'acme' });
    expect(platform?.relations).toEqual(
      expect.arrayContaining([
        { type: 'childOf', targetRef: 'group:default/acme' },
        { type: 'hasMember', targetRef: 'user:default/bob' },
      ]),
    );
    const acme = await catalog.getEntityByRef('group:default/acme');
    expect(acme?.relations).toContainEqual({ type: 'parentOf', targetRef: 'group:default/acme-platform' });
    const alice = await catalog.getEntityByRef('user:default/alice');
    expect(alice?.relations).toEqual(
      expect.arrayContaining([
        { type: 'memberOf', targetRef: 'group:default/acme' },
        { type: 'memberOf', targetRef: 'group:default/acme-platform' },
      ]),
    );
    expect(await catalog.getEntityByRef('user:default/mallory')).toBeUndefined();
  });

  it('refuses a webhook with a wrong or missing token (401) and refreshes nothing', async () => {
    gitlab.setFile('acme/payments', 'catalog-info.yaml', descriptor('payments', '\n  system: by-unsigned-hook'));
    const push = {
      object_kind: 'push',
      event_name: 'push',
      ref: 'refs/heads/main',
      project_id: gitlab.project('acme/payments')!.id,
      project: { id: gitlab.project('acme/payments')!.id, path_with_namespace: 'acme/payments', default_branch: 'main' },
    };
    const mark = gitlab.requests.length;
    expect((await hook(push, { 'x-gitlab-token': 'wrong-secret', 'x-gitlab-event': 'Push Hook' })).status).toBe(401);
    expect((await hook(push, { 'x-gitlab-event': 'Push Hook' })).status).toBe(401);
    expect(gitlab.requests.slice(mark).filter((r) => r.path === `/projects/${push.project_id}`)).toEqual([]);
    gitlab.setFile('acme/payments', 'catalog-info.yaml', descriptor('payments'));
  });

  it('refreshes a project on a signed push, and ignores a replayed delivery', async () => {
    const id = gitlab.project('acme/payments')!.id;
    gitlab.setFile('acme/payments', 'catalog-info.yaml', descriptor('payments', '\n  system: checkout'));
    const push = {
      object_kind: 'push',
      event_name: 'push',
      before: '0'.repeat(40),
      after: 'a'.repeat(40),
      ref: 'refs/heads/main',
      project_id: id,
      project: { id, path_with_namespace: 'acme/payments', default_branch: 'main' },
      commits: [],
      total_commits_count: 1,
    };
    const headers = { 'x-gitlab-token': SECRET, 'x-gitlab-event': 'Push Hook', 'idempotency-key': 'delivery-1', 'x-gitlab-event-uuid': 'uuid-1' };
    const first = await hook(push, headers);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ status: 'accepted', event: 'push', targets: ['acme'] });
    await waitFor(async () => expect((await catalog.getEntityByRef('component:default/payments'))?.spec).toMatchObject({ system: 'checkout' }), {
      timeoutMs: 5_000,
    });
    const replay = await hook(push, headers);
    expect(replay.status).toBe(202);
    expect(await replay.json()).toMatchObject({ status: 'ignored' });
    // a push to another branch is not discovery's business
    const other = await hook({ ...push, ref: 'refs/heads/feature' }, { ...headers, 'idempotency-key': 'delivery-2' });
    expect(await other.json()).toMatchObject({ status: 'ignored' });
  });

  it('handles system hooks: project created, renamed out of the group, destroyed; logs unknown events', async () => {
    const created = gitlab.addProject({
      pathWithNamespace: 'acme/new-service',
      topics: ['backstage'],
      files: { 'catalog-info.yaml': descriptor('new-service') },
    });
    const headers = (key: string) => ({ 'x-gitlab-token': SECRET, 'x-gitlab-event': 'System Hook', 'idempotency-key': key });
    const base = {
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      owner_email: 'a@example.com',
      owner_name: 'A',
      owners: [],
      project_visibility: 'private',
    };
    expect(
      (
        await hook(
          { ...base, event_name: 'project_create', name: 'new-service', path: 'new-service', path_with_namespace: 'acme/new-service', project_id: created.id },
          headers('sys-1'),
        )
      ).status,
    ).toBe(202);
    await waitFor(async () => expect(await catalog.getEntityByRef('component:default/new-service')).toBeDefined(), { timeoutMs: 20_000 });

    gitlab.renameProject('acme/new-service', 'other/new-service');
    await hook(
      {
        ...base,
        event_name: 'project_transfer',
        path_with_namespace: 'other/new-service',
        old_path_with_namespace: 'acme/new-service',
        project_id: created.id,
      },
      headers('sys-2'),
    );
    await waitFor(async () => expect(await catalog.getEntityByRef('component:default/new-service')).toBeUndefined(), { timeoutMs: 20_000 });

    const deployer = gitlab.project('acme/platform/deployer')!;
    gitlab.removeProject('acme/platform/deployer');
    await hook({ ...base, event_name: 'project_destroy', path_with_namespace: 'acme/platform/deployer', project_id: deployer.id }, headers('sys-3'));
    await waitFor(async () => expect(await catalog.getEntityByRef('component:default/deployer-api')).toBeUndefined(), { timeoutMs: 20_000 });

    const unknown = await hook({ object_kind: 'wiki_page', project: { id: 1 } }, headers('sys-4'));
    expect(await unknown.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/not handled/) });
  });

  it('pauses on a long Retry-After, shows it, and resumes where it stopped', async () => {
    // The next request gets 429 with Retry-After 3 s, longer than maxRetryWaitSeconds (1).
    gitlab.throttleNext(1, 3);
    const paused = await waitFor(
      async () => {
        const s = await status();
        expect(s.status).toBe('paused');
        return s;
      },
      { timeoutMs: 20_000 },
    );
    expect(paused.pausedUntil).not.toBeNull();
    expect(paused.pauseReason).toMatch(/429/);
    // After the pause: a scan finishes again, later than the pause ended, and nothing was lost.
    await waitFor(
      async () => {
        const s = await status();
        expect(s.status).toBe('idle');
        expect(Date.parse(s.scanFinishedAt ?? '')).toBeGreaterThan(Date.parse(paused.pausedUntil!));
      },
      { timeoutMs: 30_000 },
    );
    expect(await catalog.getEntityByRef('component:default/payments')).toBeDefined();
    expect(await catalog.getEntityByRef('group:default/acme-platform')).toBeDefined();
  }, 60_000);

  it('waits out a short Retry-After within the run', async () => {
    const before = (await status()).scanFinishedAt;
    gitlab.throttleNext(1, 1); // within maxRetryWaitSeconds: waited, not paused
    await waitFor(async () => expect((await status()).scanFinishedAt).not.toBe(before), { timeoutMs: 20_000 });
    expect((await status()).lastError).toBeNull();
  }, 30_000);
});
