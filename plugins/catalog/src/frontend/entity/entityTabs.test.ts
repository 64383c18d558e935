import type { Entity } from '@atrium/catalog-model';
import type { Contributed, EntityTabExtension } from '@atrium/frontend-plugin-api';
import { describe, expect, it } from 'vitest';
import { activeTab, entityPageTabs } from './entityTabs';

const entity = (kind: string): Entity => ({ apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'x' } });
const tab = (pluginId: string, id: string, path: string, kind?: string): Contributed<EntityTabExtension> => ({
  pluginId,
  id,
  title: id,
  path,
  element: null,
  ...(kind ? { if: (e) => e.kind === kind } : {}),
});

describe('entityPageTabs', () => {
  it('adds the definition tab to APIs and the diagram tab to systems and domains', () => {
    expect(entityPageTabs(entity('API'), []).map((t) => t.id)).toEqual(['overview', 'definition', 'relations', 'history', 'yaml']);
    expect(entityPageTabs(entity('System'), []).map((t) => t.id)).toEqual(['overview', 'diagram', 'relations', 'history', 'yaml']);
    expect(entityPageTabs(entity('Group'), []).map((t) => t.id)).toEqual(['overview', 'relations', 'history', 'yaml']);
  });

  it("puts other plugins' tabs that apply before YAML, and ignores those that would hide a built-in tab", () => {
    const tabs = entityPageTabs(entity('Component'), [
      tab('techdocs', 'docs', '/docs/'),
      tab('scorecards', 'scores', 'scorecards', 'API'),
      tab('evil', 'yaml', 'yaml'),
      tab('evil', 'relations', 'relations'),
    ]);
    expect(tabs.map((t) => [t.id, t.path])).toEqual([
      ['overview', ''],
      ['relations', 'relations'],
      ['techdocs.docs', 'docs'],
      ['history', 'history'],
      ['yaml', 'yaml'],
    ]);
  });
});

describe('activeTab', () => {
  const tabs = entityPageTabs(entity('Component'), [tab('techdocs', 'docs', 'docs')]);
  it('matches a tab by its path or a sub-path of it', () => {
    expect(activeTab(tabs, '')?.id).toBe('overview');
    expect(activeTab(tabs, 'relations')?.id).toBe('relations');
    expect(activeTab(tabs, 'docs/getting-started/')?.id).toBe('techdocs.docs');
    expect(activeTab(tabs, 'docsx')).toBeUndefined();
  });
});
