// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { click, renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { act } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import PermissionsPage from './PermissionsPage';

interface Options {
  canExplain?: boolean;
  explainStatus?: number;
}

/** The network (not our code): /auth/me, authorize, explain, the catalogue and the user search. */
function fakeServer(options: Options = {}) {
  const calls: Array<{ url: string; body: unknown }> = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url, body });
    const json = (status: number, payload: unknown) => new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
    switch (url) {
      case '/api/auth/me':
        return json(200, { type: 'user', userEntityRef: 'user:default/sofia', ownershipEntityRefs: ['user:default/sofia'], displayName: 'sofia' });
      case '/api/permissions/authorize':
        return json(200, { items: body.items.map((i: { permission: string }) => ({ ...i, decision: options.canExplain === false ? 'deny' : 'allow' })) });
      case '/api/permissions/catalogue':
        return json(200, {
          items: [
            { name: 'audit.log.read', description: 'Read and export the audit log.', action: 'read', declaredBy: 'system' },
            { name: 'catalog.entity.delete', description: 'Unregister an entity.', action: 'delete', resourceType: 'catalog-entity', declaredBy: 'catalog' },
            { name: 'catalog.entity.read', description: 'Read entities.', action: 'read', resourceType: 'catalog-entity', declaredBy: 'catalog' },
          ],
        });
      case '/api/catalog/entities/by-query':
        return json(200, { items: [{ metadata: { name: 'li.wei', namespace: 'default' }, spec: { profile: { displayName: 'Li Wei' } } }] });
      case '/api/permissions/explain':
        if (options.explainStatus) return json(options.explainStatus, { error: { name: 'NotFoundError', message: `No user ${body.user} in the catalog` } });
        return json(200, {
          user: body.user,
          ownershipEntityRefs: [body.user, 'group:default/logistics'],
          roles: [],
          items: [
            {
              permission: 'catalog.entity.read',
              decision: 'allow',
              ruleIndex: 1,
              ruleId: 'signed-in-read',
              rule: 'rule 2 "signed-in-read" (allow catalog.entity.read)',
            },
            {
              permission: 'catalog.entity.delete',
              decision: 'allow',
              conditional: true,
              ruleIndex: 2,
              ruleId: 'owners-change',
              rule: 'rule 3 "owners-change" (allow catalog.entity.delete when isEntityOwner)',
            },
            { permission: 'audit.log.read', decision: 'deny', reason: 'no rule of permission.policy allows audit.log.read for user:default/li.wei' },
          ],
        });
      default:
        return json(404, { error: { name: 'NotFoundError', message: url } });
    }
  });
  return calls;
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

async function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  rendered = await renderForTest(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <PermissionsPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return rendered.container;
}

const rowsOf = (container: HTMLElement) => [...container.querySelectorAll('[data-permission]')].map((tr) => tr.textContent ?? '');

describe('PermissionsPage', () => {
  it('tells a caller without permission.explain that the page is for administrators, and asks nothing else', async () => {
    const calls = fakeServer({ canExplain: false });
    const container = await renderAt('/permissions?user=user:default/li.wei');
    await waitFor(() => expect(container.textContent).toContain('Administrators only'));
    expect(calls.some((c) => c.url === '/api/permissions/explain')).toBe(false);
  });

  it('asks to choose a user first', async () => {
    fakeServer();
    const container = await renderAt('/permissions');
    await waitFor(() => expect(container.textContent).toContain('Choose a user'));
    expect(container.querySelector('table')).toBeNull();
  });

  it("shows the chosen user's decisions with the deciding rule, and filters them", async () => {
    const calls = fakeServer();
    const container = await renderAt('/permissions?user=user:default/li.wei');
    await waitFor(() => expect(rowsOf(container)).toHaveLength(3));
    expect(calls.find((c) => c.url === '/api/permissions/explain')?.body).toEqual({ user: 'user:default/li.wei' });
    const rows = rowsOf(container);
    // Sorted by name, with the catalogue's description, the decision and why.
    expect(rows[0]).toContain('audit.log.read');
    expect(rows[0]).toContain('Denied');
    expect(rows[0]).toContain('no rule of permission.policy allows audit.log.read');
    expect(rows[1]).toContain('Unregister an entity.');
    expect(rows[1]).toContain('Allowed for some targets');
    expect(rows[1]).toContain('rule 3 "owners-change"');
    expect(container.textContent).toContain('2 allowed, 1 denied');

    const denied = [...container.querySelectorAll('label')].find((l) => l.textContent === 'Denied (1)');
    await click(denied ?? null);
    await waitFor(() => expect(rowsOf(container)).toHaveLength(1));
    expect(rowsOf(container)[0]).toContain('audit.log.read');

    const all = [...container.querySelectorAll('label')].find((l) => l.textContent === 'All (3)');
    await click(all ?? null);
    const filter = container.querySelector<HTMLInputElement>('input[placeholder^="catalog.entity"]');
    await act(async () => {
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      setValue?.call(filter, 'owners');
      filter?.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await waitFor(() => expect(rowsOf(container)).toHaveLength(1));
    expect(rowsOf(container)[0]).toContain('catalog.entity.delete');
  });

  it('shows the server error when the user cannot be explained', async () => {
    fakeServer({ explainStatus: 404 });
    const container = await renderAt('/permissions?user=user:default/nobody');
    await waitFor(() => expect(container.textContent).toContain('No user user:default/nobody in the catalog'));
    expect(container.textContent).toContain("Could not explain this user's permissions");
  });
});
