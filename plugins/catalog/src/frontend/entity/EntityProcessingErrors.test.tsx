// @vitest-environment jsdom
import type { Entity } from '@atrium/catalog-model';
import type { LocationStatus } from '@atrium/plugin-catalog/common';
import { renderForTest, type RenderResult } from '@atrium/ui/testing';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { processingProblemsOf, ProcessingErrorsPanel } from './EntityProcessingErrors';

const location: LocationStatus = {
  id: 'l1',
  type: 'file',
  target: '/srv/catalog/all.yaml',
  source: 'api',
  lastReadAt: null,
  nextRefreshAt: null,
  entityCount: 3,
  errors: [
    {
      name: 'InputError',
      kind: 'validation',
      message: 'metadata.description contains a NUL character',
      file: '/srv/catalog/all.yaml',
      line: 7,
      column: 3,
      field: 'metadata.description',
      entityRef: 'component:default/svc',
    },
    {
      name: 'ConflictError',
      kind: 'conflict',
      message: 'Entity component:default/other conflicts',
      file: '/srv/catalog/all.yaml',
      entityRef: 'component:default/other',
    },
    { name: 'ReadError', kind: 'read', message: 'No files match /srv/catalog/missing.yaml', file: '/srv/catalog/missing.yaml' },
  ],
};

const component = (status?: Entity['status']): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'Svc', namespace: 'default' },
  spec: {},
  ...(status ? { status } : {}),
});

const locationEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Location',
  metadata: { name: 'generated-abc', namespace: 'default', annotations: { 'backstage.io/managed-by-location': 'file:/srv/catalog/all.yaml' } },
  spec: { type: 'file', target: '/srv/catalog/all.yaml' },
};

describe('processingProblemsOf', () => {
  it("keeps an entity's own errors, and every error of the location on the Location entity it starts from", () => {
    expect(processingProblemsOf(component(), location)).toEqual({ errors: [location.errors[0]], wholeLocation: false });
    expect(processingProblemsOf(locationEntity, location)).toEqual({ errors: location.errors, wholeLocation: true });
    const child = {
      ...locationEntity,
      metadata: { ...locationEntity.metadata, annotations: { 'backstage.io/managed-by-location': 'file:/srv/catalog/teams.yaml' } },
    };
    expect(processingProblemsOf(child, location).errors).toEqual([]);
  });

  it('leaves out errors the status banner already shows', () => {
    const withStatus = component({
      items: [
        {
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: 'InputError: …',
          error: { name: 'InputError', message: 'metadata.description contains a NUL character' },
        },
      ],
    });
    expect(processingProblemsOf(withStatus, location).errors).toEqual([]);
  });
});

let rendered: RenderResult | undefined;
afterEach(async () => {
  await rendered?.unmount();
  rendered = undefined;
});

describe('ProcessingErrorsPanel', () => {
  it('lists each error with its kind, place, field and message', async () => {
    rendered = await renderForTest(
      <MemoryRouter>
        <ProcessingErrorsPanel problems={processingProblemsOf(component(), location)} self="component:default/svc" />
      </MemoryRouter>,
    );
    const panel = rendered.container.querySelector('section[aria-label="Entity processing errors"]');
    expect(panel?.textContent).toContain('Entity processing error');
    expect(panel?.textContent).toContain('/srv/catalog/all.yaml:7:3');
    expect(panel?.textContent).toContain('field metadata.description');
    expect(panel?.textContent).toContain('contains a NUL character');
    expect(panel?.querySelector('a[href="/catalog/locations"]')).not.toBeNull();
  });

  it("titles a location's errors as such and names the entity of each", async () => {
    rendered = await renderForTest(
      <MemoryRouter>
        <ProcessingErrorsPanel problems={processingProblemsOf(locationEntity, location)} self="location:default/generated-abc" />
      </MemoryRouter>,
    );
    const panel = rendered.container.querySelector('section[aria-label="Entity processing errors"]');
    expect(panel?.textContent).toContain('This location has 3 errors');
    expect(panel?.textContent).toContain('entity component:default/other');
    expect(panel?.querySelectorAll('li')).toHaveLength(3);
  });

  it('renders nothing without errors', async () => {
    rendered = await renderForTest(
      <MemoryRouter>
        <ProcessingErrorsPanel problems={{ errors: [], wholeLocation: false }} self="component:default/svc" />
      </MemoryRouter>,
    );
    expect(rendered.container.innerHTML).toBe('');
  });
});
