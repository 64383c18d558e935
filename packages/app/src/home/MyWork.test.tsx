// @vitest-environment jsdom
import { waitFor, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeFetch } from '../testing/fakeFetch';
import { renderApp } from '../testing/renderApp';
import { MyWork } from './MyWork';

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  vi.unstubAllGlobals();
});

const alice = {
  type: 'user',
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
  displayName: 'alice',
  via: 'session',
};

describe('MyWork', () => {
  it('shows my components, my teams and my running tasks', async () => {
    const fake = installFakeFetch({
      'GET /api/auth/me': { body: alice },
      'POST /api/catalog/entities/by-query': {
        body: {
          items: [{ kind: 'Component', metadata: { name: 'orders', namespace: 'default', title: 'Orders service' }, spec: { type: 'service' } }],
          totalItems: 1,
          pageInfo: {},
        },
      },
      'POST /api/catalog/entities/by-refs': {
        body: { items: [{ kind: 'Group', metadata: { name: 'team-a', namespace: 'default' }, spec: { profile: { displayName: 'Team A' } } }] },
      },
      'GET /api/scaffolder/v2/tasks': {
        body: {
          tasks: [
            {
              id: 't1',
              status: 'processing',
              createdAt: '2026-01-01T00:00:00Z',
              spec: { templateInfo: { entityRef: 'template:default/new-service', entity: { metadata: { title: 'New service' } } } },
            },
          ],
          totalTasks: 1,
        },
      },
    });
    rendered = await renderApp(<MyWork />);
    const page = rendered.container;
    await waitFor(() => expect(page.textContent).toContain('Orders service'));
    await waitFor(() => expect(page.textContent).toContain('New service'));
    expect(page.querySelector('a[href="/create/tasks/t1"]')).not.toBeNull();
    expect(page.querySelector('a[href="/catalog/default/group/team-a"]')).not.toBeNull();
    const query = fake.calls.find((c) => c.url === '/api/catalog/entities/by-query')?.body as { query: unknown };
    expect(JSON.stringify(query.query)).toContain('"targetRef":{"$in":["user:default/alice","group:default/team-a"]}');
    expect(fake.calls.find((c) => c.url.startsWith('/api/scaffolder/v2/tasks'))?.url).toContain('owned=true&status=open%2Cawaiting-approval%2Cprocessing');
  });

  it('shows nothing for the guest', async () => {
    installFakeFetch({
      'GET /api/auth/me': { body: { type: 'guest', userEntityRef: 'user:default/guest', ownershipEntityRefs: [], displayName: 'Guest', via: 'guest' } },
    });
    rendered = await renderApp(<MyWork />);
    await new Promise((r) => setTimeout(r, 50));
    expect(rendered.container.textContent).toBe('');
  });
});
