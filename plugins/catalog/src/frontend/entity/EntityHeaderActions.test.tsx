// @vitest-environment jsdom
import type { Entity } from '@atrium/catalog-model';
import { createExtensionRegistry, definePlugin, ExtensionRegistryProvider, useEntity } from '@atrium/frontend-plugin-api';
import { renderForTest, waitFor, type RenderResult } from '@atrium/ui/testing';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EntityProvider } from '@atrium/frontend-plugin-api';
import { EntityHeaderActions } from './EntityHeaderActions';

const template: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'node-service', namespace: 'default', uid: 'u1' },
  spec: {},
};
const component: Entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'orders', namespace: 'default', uid: 'u2' }, spec: {} };

function NameBadge() {
  return <span>custom action for {useEntity().metadata.name}</span>;
}
function Crash(): never {
  throw new Error('action exploded');
}

const registry = createExtensionRegistry([
  definePlugin({
    id: 'scaffolder',
    entityActions: [
      { id: 'launch', title: 'Launch', primary: true, if: (e) => e.kind === 'Template', href: (e) => `/create/templates/default/${e.metadata.name}` },
      { id: 'bad', title: 'Bad', href: () => 'javascript:alert(1)' },
    ],
  }),
  definePlugin({
    id: 'other',
    entityActions: [
      { id: 'custom', loader: async () => NameBadge, order: 1 },
      { id: 'crash', element: <Crash /> },
    ],
  }),
]);

let rendered: RenderResult | undefined;
async function renderFor(entity: Entity) {
  rendered = await renderForTest(
    <ExtensionRegistryProvider registry={registry}>
      <MemoryRouter>
        <EntityProvider entity={entity}>
          <EntityHeaderActions entity={entity} />
        </EntityProvider>
      </MemoryRouter>
    </ExtensionRegistryProvider>,
  );
  return rendered.container;
}
afterEach(async () => {
  await rendered?.unmount();
  vi.restoreAllMocks();
});

describe('EntityHeaderActions', () => {
  it("renders the plugins' actions that apply, in order, containing a crashing one", async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = await renderFor(template);
    await waitFor(() => expect(page.textContent).toContain('custom action for node-service'));
    const launch = page.querySelector('a[data-action-id="scaffolder:launch"]');
    expect(launch?.getAttribute('href')).toBe('/create/templates/default/node-service');
    expect(launch?.textContent).toBe('Launch');
    expect(page.textContent?.indexOf('custom action')).toBeLessThan(page.textContent!.indexOf('Launch'));
    expect(page.querySelector('[data-action-id="scaffolder:bad"]')).toBeNull();
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('“other” plugin failed');
  });

  it('leaves out actions whose predicate does not match', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = await renderFor(component);
    await waitFor(() => expect(page.textContent).toContain('custom action for orders'));
    expect(page.querySelector('[data-action-id="scaffolder:launch"]')).toBeNull();
  });
});
