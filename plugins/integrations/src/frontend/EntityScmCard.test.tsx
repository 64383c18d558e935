// @vitest-environment jsdom
import { EntityProvider } from '@atrium/frontend-plugin-api';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EntityScmSummary } from '../common';
import EntityScmCard from './EntityScmCard';

/** The network (not our code): the entity SCM route answering `status` with `payload`; the URLs asked are kept. */
function fakeServer(status: number, payload: unknown) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(String(url));
    return new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
  });
  return asked;
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

async function render(annotations: Record<string, string>) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
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
const summary: EntityScmSummary = {
  provider: 'github',
  host: 'github.com',
  project: 'acme/orders',
  projectUrl: 'https://github.com/acme/orders',
  runs: [
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
  ],
  changes: [
    { id: '9', reference: '#1', title: 'Add a health check', author: 'bob', draft: true, createdAt: hourAgo, url: 'https://github.com/acme/orders/pull/1' },
  ],
  lastCommit: {
    sha: '0123456789abcdef0123456789abcdef01234567',
    title: 'Retry payments on timeout',
    message: 'Retry payments on timeout\n\nWith a backoff.',
    author: 'ann',
    committedAt: hourAgo,
    url: 'https://github.com/acme/orders/commit/0123456',
  },
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
    fakeServer(200, { ...summary, provider: 'gitlab', host: 'gitlab.example.com', runs: [], changes: [], lastCommit: null });
    const container = await render({ 'gitlab.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('No CI runs yet'));
    expect(container.textContent).toContain('No open merge requests.');
    expect(container.textContent).toContain('The default branch has no commits yet.');
  });

  it('says which integration is missing, with a link to set one up, when no integration covers the host', async () => {
    const message =
      'No GitHub integration for host ghe.example.com (from the entity’s github.com/project-slug annotation and its source location): add an entry under integrations.github';
    fakeServer(422, { error: { name: 'IntegrationNotConfiguredError', message } });
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('Not connected'));
    expect(container.textContent).toContain(message);
    expect(container.querySelector('a[href="/integrations"]')?.textContent).toBe('Set up an integration');
  });

  it("shows the provider's failure in the server's words", async () => {
    fakeServer(502, { error: { name: 'BadGatewayError', message: 'GitHub (github.com) answered 500 for acme/orders (Server Error)' } });
    const container = await render({ 'github.com/project-slug': 'acme/orders' });
    await waitFor(() => expect(container.textContent).toContain('Could not read the repository'));
    expect(container.textContent).toContain('GitHub (github.com) answered 500 for acme/orders');
  });
});
