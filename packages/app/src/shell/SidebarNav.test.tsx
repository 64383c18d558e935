// @vitest-environment jsdom
import { createExtensionRegistry, definePlugin, ExtensionRegistryProvider } from '@atrium/frontend-plugin-api';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeFetch } from '../testing/fakeFetch';
import { SidebarNav } from './SidebarNav';

const registry = createExtensionRegistry([
  definePlugin({
    id: 'system',
    nav: [
      { title: 'Audit log', path: '/audit', order: 1 },
      { title: 'Permissions', path: '/permissions', order: 2, permission: 'permission.explain' },
    ],
  }),
]);

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
});

async function renderNav(allowExplain: boolean) {
  const fake = installFakeFetch({
    'GET /api/auth/me': { body: { type: 'user', userEntityRef: 'user:default/ada', ownershipEntityRefs: ['user:default/ada'], displayName: 'ada' } },
    'POST /api/permissions/authorize': ({ body }) => ({
      body: { items: (body as { items: Array<{ permission: string }> }).items.map((i) => ({ ...i, decision: allowExplain ? 'allow' : 'deny' })) },
    }),
  });
  rendered = await renderForTest(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <ExtensionRegistryProvider registry={registry}>
        <MemoryRouter>
          <SidebarNav />
        </MemoryRouter>
      </ExtensionRegistryProvider>
    </QueryClientProvider>,
  );
  return { container: rendered.container, fake };
}

const titles = (container: HTMLElement) => [...container.querySelectorAll('a')].map((a) => a.textContent);

describe('SidebarNav', () => {
  it('shows an entry that names a permission only once the caller is allowed', async () => {
    const { container, fake } = await renderNav(true);
    await waitFor(() => expect(titles(container)).toEqual(['Home', 'Audit log', 'Permissions']));
    expect(fake.calls.filter((c) => c.url === '/api/permissions/authorize').map((c) => c.body)).toEqual([{ items: [{ permission: 'permission.explain' }] }]);
  });

  it('leaves it out when the policy denies it', async () => {
    const { container, fake } = await renderNav(false);
    await waitFor(() => expect(fake.calls.some((c) => c.url === '/api/permissions/authorize')).toBe(true));
    await waitFor(() => expect(titles(container)).toEqual(['Home', 'Audit log']));
  });
});
