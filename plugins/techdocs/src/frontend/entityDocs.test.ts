import { describe, expect, it } from 'vitest';
import { docsPagePath, normalizeRoute } from '../common';
import { docsTripletOf, hasDocs } from './entityDocs';
import { shortRef } from './status';

const entity = (annotations: Record<string, string>, namespace?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', ...(namespace ? { namespace } : {}), annotations },
});

describe('entity docs helpers', () => {
  it('shows the Docs tab for entities with docs of their own or borrowed', () => {
    expect(hasDocs(entity({ 'backstage.io/techdocs-ref': 'dir:.' }))).toBe(true);
    expect(hasDocs(entity({ 'backstage.io/techdocs-entity': 'component:default/other' }))).toBe(true);
    expect(hasDocs(entity({}))).toBe(false);
    expect(hasDocs(entity({ 'backstage.io/techdocs-ref': ' ' }))).toBe(false);
  });

  it('reads the docs of the entity named by techdocs-entity', () => {
    expect(docsTripletOf(entity({ 'backstage.io/techdocs-ref': 'dir:.' }, 'ops'))).toEqual({ namespace: 'ops', kind: 'Component', name: 'svc' });
    expect(docsTripletOf(entity({ 'backstage.io/techdocs-entity': 'system:shared/platform' }))).toEqual({
      namespace: 'shared',
      kind: 'system',
      name: 'platform',
    });
    expect(docsTripletOf(entity({ 'backstage.io/techdocs-entity': 'other' }, 'ops'))).toEqual({ namespace: 'ops', kind: 'component', name: 'other' });
  });

  it('builds reader paths and normalizes routes from URLs', () => {
    expect(docsPagePath({ namespace: 'Default', kind: 'Component', name: 'Orders' }, 'guides/run book', 'roll back')).toBe(
      '/docs/default/component/orders/guides/run%20book/#roll%20back',
    );
    expect(docsPagePath({ namespace: 'default', kind: 'component', name: 'x' }, '')).toBe('/docs/default/component/x/');
    expect(normalizeRoute('/guides/setup/')).toBe('guides/setup');
    expect(normalizeRoute('guides/index.html')).toBe('guides');
    expect(normalizeRoute('setup.md')).toBe('setup');
    expect(normalizeRoute('run%20book/')).toBe('run book');
  });

  it('shortens owner refs for display', () => {
    expect(shortRef('group:default/platform-team')).toBe('platform-team');
    expect(shortRef('user:ops/jane')).toBe('ops/jane');
    expect(shortRef('component:default/x')).toBe('component:x');
  });
});
