// @vitest-environment jsdom
import { EntityProvider, PERMISSIONS_QUERY_KEY } from '@atrium/frontend-plugin-api';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntityScmPart, EntityScmSummary } from '../common';
import EntityScmCard from './EntityScmCard';

/**
 * The network (not our code): the entity SCM route answering `status` with `payload`, `/auth/me`
 * a signed-in user, and the permission check allowing only what `allow` lists. The URLs asked are kept.
 */
function fakeServer(status: number, payload: unknown, allow: string[] = []) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const url = String(input);
    asked.push(url);
    const json = (code: number, body: unknown) => new Response(JSON.stringify(body), { status: code, headers: { 'content-type': 'application/json' } });
    if (url === '/api/auth/me')
      return json(200, { type: 'user', userEntityRef: 'user:default/ada', ownershipEntityRefs: ['user:default/ada'], displayName: 'ada' });
    if (url === '/api/permissions/authorize') {
      const { items } = JSON.parse(String(init.body)) as { items: Array<{ permission: string }> };
      return json(200, { items: items.map((i) => ({ ...i, decision: allow.includes(i.permission) ? 'allow' : 'deny' })) });
    }
    return json(status, payload);
  });
  return asked;
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

let client: QueryClient;

async function render(annotations: Record<string, string>) {
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'orders', namespace: 'default', annotations }, spec: {} };
  rendered = await renderForTest(
    <MemoryRouter>
      <QueryClientProvider client={client}>
        <EntityProvider entity={entity}>
          <EntityScmCard />
        </EntityProvider>
      </QueryClientProvider>
    </MemoryRouter>,
  );
  return rendered.container;
}

const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
const ok = <T,>(data: T): EntityScmPart<T> => ({ status: 'ok', data });
const summary: EntityScmSummary = {
  provider: 'github',
  host: 'github.com',
  project: 'acme/orders',
  projectUrl: 'https://github.com/acme/orders',
  runs: ok([
    {
      id: '2',
      name: 'Deploy',
      state: 'running',
      detail: 'in_progress',
      branch: 'release',
      createdAt: hourAgo,
      url: 'https://github.com/acme/orders/actions/runs/2',
    },
    { id: '1', name: 'CI', state: 'failure', detail: 'failure', branch: 'main', createdAt: hourAgo, url: 'https://github.com/acme/orders/actions/runs/1' },
  ]),
  changes: ok([
    { id: '9', reference: '#1', title: 'Add a health check', author: 'bob', draft: true, createdAt: hourAgo, url: 'https://github.com/acme/orders/pull/1' },
  ]),
  lastCommit: ok({
    sha: '0123456789abcdef0123456789abcdef01234567',
    title: 'Retry payments on timeout',
    message: 'Retry payments on timeout\n\nWith a backoff.',
    author: 'ann',
    committedAt: hourAgo,
    url: 'https://github.com/acme/orders/commit/0123456',
  }),
  fetchedAt: new Date().toISOString(),
};

describe('EntityScmCard', () => {
  it("shows the repository's CI runs with their state and branch, open pull requests with author and age, and the last commit", async () => {
    const asked = fakeServer(200, summary);
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('Deploy'));
    expect(asked[0]).toMatch(/\/api\/integrations\/entity\/component\/default\/orders\/scm$/);
    const text = container.textContent ?? '';
    expect(text).toContain('acme/orders on GitHub (github.com)');
    expect(text).toMatch(/Running\s*Deploy\s*release/);
    expect(text).toMatch(/Failed\s*CI\s*main/);
    expect(text).toMatch(/#1\s*Add a health check\s*Draft/);
    expect(text).toContain('bob · opened');
    expect(text).toMatch(/0123456\s*Retry payments on timeout/);
    const links = [...container.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(
      expect.arrayContaining(['https://github.com/acme/orders', 'https://github.com/acme/orders/actions/runs/2', 'https://github.com/acme/orders/pull/1']),
    );
  });

  it('says there are no CI runs yet, no open merge requests and no commits when the project is empty', async () => {
    fakeServer(200, { ...summary, provider: 'gitlab', host: 'gitlab.example.com', runs: ok([]), changes: ok([]), lastCommit: ok(null) });
    const container = await render({ 'gitlab.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('No CI runs yet'));
    expect(container.textContent).toContain('No open merge requests.');
    expect(container.textContent).toContain('The default branch has no commits yet.');
  });

  it('shows the parts that were read beside a clear error for the part that failed', async () => {
    const message = 'GitHub (github.com) answered 502 for acme/orders (Server Error)';
    fakeServer(200, { ...summary, changes: { status: 'error', error: { name: 'BadGatewayError', message, upstreamStatus: 502 } } });
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('Deploy'));
    const errors = [...container.querySelectorAll('[data-testid="scm-part-error"]')].map((e) => e.textContent);
    expect(errors).toEqual([`Could not read the open pull requests: ${message}`]);
    expect(container.textContent).toMatch(/Failed\s*CI\s*main/);
    expect(container.textContent).toMatch(/0123456\s*Retry payments on timeout/);
    expect(container.textContent).not.toContain('Add a health check');
    expect(container.textContent).not.toContain('Could not read the repository');
  });

  const notConfigured =
    'No GitHub integration for host ghe.example.com (from the entity’s github.com/project-slug annotation and its source location): add an entry under integrations.github';

  it('for someone who may add integrations, says in one line that the host is not connected, with a link to set one up', async () => {
    const asked = fakeServer(422, { error: { name: 'IntegrationNotConfiguredError', message: notConfigured } }, ['integrations.integration.create']);
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.querySelector('[data-testid="scm-not-configured"]')).not.toBeNull());
    const line = container.querySelector('[data-testid="scm-not-configured"]');
    expect(line?.textContent).toBe('Source control: not connected to GitHub (ghe.example.com)Connect');
    expect(line?.querySelector('p[title]')?.getAttribute('title')).toBe(notConfigured);
    expect(line?.querySelector('a[href="/integrations"]')?.textContent).toBe('Connect');
    expect(asked).toContain('/api/permissions/authorize');
  });

  it('for someone who may not add integrations, shows nothing at all when the host is not connected', async () => {
    const asked = fakeServer(422, { error: { name: 'IntegrationNotConfiguredError', message: notConfigured } });
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    // Once the permission check has answered (deny), the card renders nothing.
    await waitFor(() =>
      expect(
        client
          .getQueryCache()
          .findAll({ queryKey: PERMISSIONS_QUERY_KEY })
          .map((q) => q.state.data)
          .filter(Boolean),
      ).toEqual([expect.objectContaining({ permission: 'integrations.integration.create', decision: 'deny' })]),
    );
    // Let React apply that answer before looking.
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    expect(asked).toContain('/api/permissions/authorize');
    expect(container.textContent).toBe('');
  });

  it("shows the provider's failure in the server's words", async () => {
    fakeServer(502, { error: { name: 'BadGatewayError', message: 'GitHub (github.com) answered 500 for acme/orders (Server Error)' } });
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('Could not read the repository'));
    expect(container.textContent).toContain('GitHub (github.com) answered 500 for acme/orders');
  });
});
