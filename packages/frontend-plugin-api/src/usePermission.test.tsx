// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { permissionDeniedText, usePermission, usePermissions } from './usePermission';

interface Call {
  url: string;
  body: { items: Array<{ permission: string; resourceRef?: string }> } | undefined;
}

/** The network: /auth/me answers Ada; authorize allows `*.read` and whatever targets `mine`. */
function fakeServer(options: { authorizeStatus?: number } = {}) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ url, body });
    const json = (status: number, payload: unknown) => new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } });
    if (url === '/api/auth/me')
      return json(200, { type: 'user', userEntityRef: 'user:default/ada', ownershipEntityRefs: ['user:default/ada'], displayName: 'ada' });
    if (url === '/api/permissions/authorize') {
      if (options.authorizeStatus) return json(options.authorizeStatus, { error: { name: 'Error', message: 'boom' } });
      return json(200, {
        items: body.items.map((item: { permission: string; resourceRef?: string }) => {
          const allow = item.permission.endsWith('.read') || item.resourceRef === 'component:default/mine';
          return { ...item, decision: allow ? 'allow' : 'deny', reason: allow ? 'allowed by rule 1' : 'denied by rule 2 "owners"' };
        }),
      });
    }
    return json(404, { error: { name: 'NotFoundError', message: url } });
  });
  return { authorizeCalls: () => calls.filter((c) => c.url === '/api/permissions/authorize') };
}

function Check(props: { permission: string; resourceRef?: string }) {
  const result = usePermission({ permission: props.permission, resourceRef: props.resourceRef });
  const label = `${props.permission}@${props.resourceRef ?? ''}`;
  return <li data-check={label}>{result.loading ? 'loading' : result.allowed ? 'allowed' : (permissionDeniedText(result, 'act') ?? 'denied')}</li>;
}

function Many() {
  const [a, b] = usePermissions(['catalog.entity.read', undefined]);
  return <p data-many="">{`${a!.allowed}/${b!.allowed}/${b!.loading}`}</p>;
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

function text(container: HTMLElement, label: string) {
  return container.querySelector(`[data-check="${label}"]`)?.textContent;
}

describe('usePermission', () => {
  it('sends every check of one render in one authorize request, each distinct check once', async () => {
    const server = fakeServer();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    rendered = await renderForTest(
      <QueryClientProvider client={client}>
        <ul>
          <Check permission="catalog.entity.read" />
          <Check permission="catalog.entity.delete" resourceRef="component:default/mine" />
          <Check permission="catalog.entity.delete" resourceRef="component:default/theirs" />
          <Check permission="catalog.entity.refresh" resourceRef="component:default/theirs" />
          <Check permission="catalog.entity.delete" resourceRef="component:default/theirs" />
        </ul>
        <Many />
      </QueryClientProvider>,
    );
    const { container } = rendered;
    await waitFor(() => expect(text(container, 'catalog.entity.refresh@component:default/theirs')).not.toBe('loading'));
    expect(server.authorizeCalls()).toHaveLength(1);
    expect(server.authorizeCalls()[0]!.body!.items).toEqual([
      { permission: 'catalog.entity.read' },
      { permission: 'catalog.entity.delete', resourceRef: 'component:default/mine' },
      { permission: 'catalog.entity.delete', resourceRef: 'component:default/theirs' },
      { permission: 'catalog.entity.refresh', resourceRef: 'component:default/theirs' },
    ]);
    expect(text(container, 'catalog.entity.read@')).toBe('allowed');
    expect(text(container, 'catalog.entity.delete@component:default/mine')).toBe('allowed');
    expect(text(container, 'catalog.entity.delete@component:default/theirs')).toBe('You may not act: denied by rule 2 "owners"');
    // An undefined check is no check: allowed, never loading.
    expect(container.querySelector('[data-many]')?.textContent).toBe('true/true/false');
  });

  it('splits more than 100 checks into requests of at most 100', async () => {
    const server = fakeServer();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const refs = Array.from({ length: 150 }, (_, i) => `component:default/c${i}`);
    rendered = await renderForTest(
      <QueryClientProvider client={client}>
        <ul>
          {refs.map((ref) => (
            <Check key={ref} permission="catalog.entity.delete" resourceRef={ref} />
          ))}
        </ul>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(text(rendered!.container, 'catalog.entity.delete@component:default/c149')).not.toBe('loading'));
    expect(server.authorizeCalls().map((c) => c.body!.items.length)).toEqual([100, 50]);
  });

  it('answers from the cache for the same caller (no second request), and denies when the check fails', async () => {
    const server = fakeServer();
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    rendered = await renderForTest(
      <QueryClientProvider client={client}>
        <ul>
          <Check permission="catalog.entity.read" />
        </ul>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(text(rendered!.container, 'catalog.entity.read@')).toBe('allowed'));
    await rendered.unmount();
    rendered = await renderForTest(
      <QueryClientProvider client={client}>
        <ul>
          <Check permission="catalog.entity.read" />
        </ul>
      </QueryClientProvider>,
    );
    expect(text(rendered.container, 'catalog.entity.read@')).toBe('allowed');
    expect(server.authorizeCalls()).toHaveLength(1);
    await rendered.unmount();

    vi.unstubAllGlobals();
    fakeServer({ authorizeStatus: 500 });
    rendered = await renderForTest(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <ul>
          <Check permission="catalog.entity.delete" />
        </ul>
      </QueryClientProvider>,
    );
    await waitFor(() => expect(text(rendered!.container, 'catalog.entity.delete@')).toBe('Could not check whether you may act'));
  });
});
