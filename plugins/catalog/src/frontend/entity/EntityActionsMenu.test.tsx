// @vitest-environment jsdom
import type { Entity } from '@atrium/catalog-model';
import { click, renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EntityActionsMenu } from './EntityActionsMenu';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders', namespace: 'default', uid: 'u1' },
  spec: { owner: 'team-a' },
};

/** The network: the caller may do what `allowed` lists on component:default/orders. */
function fakeServer(allowed: string[]) {
  const bodies: unknown[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const json = (payload: unknown) => new Response(JSON.stringify(payload), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url === '/api/auth/me') return json({ type: 'user', userEntityRef: 'user:default/ada', ownershipEntityRefs: ['user:default/ada'], displayName: 'ada' });
    if (url === '/api/permissions/authorize') {
      const body = JSON.parse(String(init.body)) as { items: Array<{ permission: string; resourceRef?: string }> };
      bodies.push(body);
      return json({
        items: body.items.map((i) => ({
          ...i,
          decision: allowed.includes(i.permission) ? 'allow' : 'deny',
          reason: `no rule of permission.policy allows ${i.permission} for user:default/ada on this target`,
        })),
      });
    }
    return new Response('{}', { status: 404 });
  });
  return bodies;
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

async function openMenu() {
  rendered = await renderForTest(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <EntityActionsMenu entity={entity} onUnregister={() => {}} />
    </QueryClientProvider>,
  );
  await click(rendered.container.querySelector('button[aria-label="More actions"]'));
  return rendered.container;
}

const item = (container: HTMLElement, name: string) => [...container.querySelectorAll('[role="menuitem"]')].find((el) => el.textContent?.includes(name));

describe('EntityActionsMenu', () => {
  it('shows Unregister and an enabled Refresh to a caller allowed both, asking once for both', async () => {
    const bodies = fakeServer(['catalog.entity.delete', 'catalog.entity.refresh']);
    const container = await openMenu();
    await waitFor(() => expect(item(container, 'Unregister entity')).toBeDefined());
    expect(item(container, 'Refresh from source')?.hasAttribute('data-disabled')).toBe(false);
    expect(bodies).toEqual([
      {
        items: [
          { permission: 'catalog.entity.delete', resourceRef: 'component:default/orders' },
          { permission: 'catalog.entity.refresh', resourceRef: 'component:default/orders' },
        ],
      },
    ]);
  });

  it('hides Unregister and disables Refresh, saying why, for a caller the policy denies', async () => {
    const bodies = fakeServer([]);
    const container = await openMenu();
    await waitFor(() => expect(bodies).toHaveLength(1));
    await waitFor(() => expect(item(container, 'Refresh from source')?.getAttribute('aria-description')).toContain('You may not refresh this entity'));
    expect(item(container, 'Refresh from source')?.hasAttribute('data-disabled')).toBe(true);
    expect(item(container, 'Unregister entity')).toBeUndefined();
    expect(item(container, 'Copy entity reference')).toBeDefined();
  });
});
