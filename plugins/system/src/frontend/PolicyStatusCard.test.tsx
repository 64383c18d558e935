// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { EntityProvider } from '@atrium/frontend-plugin-api';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import PolicyStatusCard from './PolicyStatusCard';

/** The network (not our code): GET /api/permissions/policies answering `status` with `payload`. */
function fakeServer(status: number, payload: unknown) {
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json' } }));
}

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
  vi.unstubAllGlobals();
});

async function render(name: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const entity = { apiVersion: 'atrium.dev/v1alpha1', kind: 'Policy', metadata: { name, namespace: 'default' }, spec: {} };
  rendered = await renderForTest(
    <QueryClientProvider client={client}>
      <EntityProvider entity={entity}>
        <PolicyStatusCard />
      </EntityProvider>
    </QueryClientProvider>,
  );
  return rendered.container;
}

const sources = {
  trustedLocations: ['file:/etc/atrium/policies.yaml'],
  items: [
    { entityRef: 'policy:default/good', status: 'active', origin: 'file:/etc/atrium/policies.yaml', rules: 2 },
    {
      entityRef: 'policy:default/broken',
      status: 'rejected',
      origin: 'file:/etc/atrium/policies.yaml',
      rules: 1,
      lastGoodInForce: true,
      error: 'policy:default/broken: spec.rules.0.permissions.0: unknown permission "catalog.entity.delte"',
    },
  ],
};

describe('PolicyStatusCard', () => {
  it('says a valid Policy entity is in force, with its rule count', async () => {
    fakeServer(200, sources);
    const container = await render('good');
    await waitFor(() => expect(container.textContent).toContain('In force'));
    expect(container.textContent).toContain('2 rules in force');
  });

  it("shows a refused version's error on the entity, and that the last good version stays in force", async () => {
    fakeServer(200, sources);
    const container = await render('broken');
    await waitFor(() => expect(container.textContent).toContain('Refused'));
    expect(container.textContent).toContain('spec.rules.0.permissions.0: unknown permission "catalog.entity.delte"');
    expect(container.textContent).toContain('The last good version stays in force.');
  });

  it('tells a caller who is not an administrator that the status is for administrators', async () => {
    fakeServer(403, { error: { name: 'NotAllowedError', message: 'no rule allows permission.explain' } });
    const container = await render('good');
    await waitFor(() => expect(container.textContent).toContain('Only administrators'));
  });
});
