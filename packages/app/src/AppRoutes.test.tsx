// @vitest-environment jsdom
import { createExtensionRegistry, definePlugin, ExtensionRegistryProvider } from '@atrium/frontend-plugin-api';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from './AppRoutes';
import { createQueryClient } from './queryClient';

function Crash(): never {
  throw new Error('widget exploded');
}

const registry = createExtensionRegistry([
  definePlugin({
    id: 'working',
    routes: [{ path: '/working', loader: async () => ({ default: () => <p>working page</p> }) }],
    nav: [{ title: 'Working', path: '/working' }],
    homeWidgets: [{ id: 'hello', title: 'Hello widget', element: <p>hello from a widget</p> }],
  }),
  definePlugin({
    id: 'broken',
    routes: [{ path: '/broken', element: <Crash /> }],
    nav: [{ title: 'Broken', path: '/broken' }],
    homeWidgets: [{ id: 'crash', title: 'Crashing widget', loader: async () => Crash }],
  }),
]);

let rendered: RenderResult | undefined;
const renderAt = async (path: string) => {
  rendered = await renderForTest(
    <QueryClientProvider client={createQueryClient()}>
      <ExtensionRegistryProvider registry={registry}>
        <MemoryRouter initialEntries={[path]}>
          <AppRoutes />
        </MemoryRouter>
      </ExtensionRegistryProvider>
    </QueryClientProvider>,
  );
  return rendered.container;
};

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(async () => {
  await rendered?.unmount();
  vi.restoreAllMocks();
});

describe('app shell', () => {
  it('shows the home page with every widget, containing the broken one', async () => {
    const page = await renderAt('/');
    await waitFor(() => expect(page.textContent).toContain('The "broken" plugin failed to render'));
    expect(page.querySelector('h1')?.textContent).toBe('Welcome to Atrium');
    expect(page.textContent).toContain('hello from a widget');
    expect(document.title).toBe('Home · Atrium');
  });

  it('lists Home, then the plugins by title, and marks the current page', async () => {
    const page = await renderAt('/working');
    await waitFor(() => expect(page.textContent).toContain('working page'));
    const links = [...page.querySelectorAll('nav a')];
    expect(links.map((a) => a.textContent)).toEqual(['Home', 'Broken', 'Working']);
    expect(links.filter((a) => a.getAttribute('aria-current') === 'page').map((a) => a.textContent)).toEqual(['Working']);
  });

  it("keeps the shell when a plugin's page crashes", async () => {
    const page = await renderAt('/broken');
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('widget exploded');
    expect(page.querySelector('nav')?.textContent).toContain('Home');
  });

  it('shows a 404 page naming the path', async () => {
    const page = await renderAt('/no/such/page');
    expect(page.querySelector('h1')?.textContent).toBe('Page not found');
    expect(page.textContent).toContain('/no/such/page');
    expect(page.querySelector('a[href="/"]')).not.toBeNull();
  });
});
