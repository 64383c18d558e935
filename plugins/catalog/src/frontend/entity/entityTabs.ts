import type { Entity } from '@atrium/catalog-model';
import type { Contributed, EntityTabExtension } from '@atrium/frontend-plugin-api';
import { filterForEntity } from '@atrium/frontend-plugin-api';

/** A tab of the entity page; `path` is relative to the entity page ('' for the overview). */
export interface EntityPageTab {
  id: string;
  title: string;
  path: string;
  /** Set for tabs other plugins contribute. */
  extension?: Contributed<EntityTabExtension>;
}

const kindIs = (entity: Entity, ...kinds: string[]) => kinds.includes(entity.kind.toLowerCase());

/** The catalog's own tabs for an entity, in order, without the YAML tab that always comes last. */
export function builtinTabs(entity: Entity): EntityPageTab[] {
  const tabs: EntityPageTab[] = [{ id: 'overview', title: 'Overview', path: '' }];
  if (kindIs(entity, 'api')) tabs.push({ id: 'definition', title: 'Definition', path: 'definition' });
  if (kindIs(entity, 'system', 'domain')) tabs.push({ id: 'diagram', title: 'System diagram', path: 'diagram' });
  tabs.push({ id: 'relations', title: 'Relations', path: 'relations' });
  return tabs;
}

/**
 * Every tab for an entity: the catalog's, then those other plugins contribute for it (a
 * plugin tab whose path the catalog already uses is left out, so it cannot hide a built-in
 * page), then the change history and the raw YAML.
 */
export function entityPageTabs(entity: Entity, extensions: ReadonlyArray<Contributed<EntityTabExtension>>): EntityPageTab[] {
  const tabs = builtinTabs(entity);
  const taken = new Set([...tabs.map((t) => t.path), 'history', 'yaml']);
  for (const extension of filterForEntity(extensions, entity)) {
    const path = extension.path.replace(/^\/+|\/+$/g, '');
    if (path === '' || taken.has(path)) continue;
    taken.add(path);
    tabs.push({ id: `${extension.pluginId}.${extension.id}`, title: extension.title, path, extension });
  }
  tabs.push({ id: 'history', title: 'History', path: 'history' });
  tabs.push({ id: 'yaml', title: 'YAML', path: 'yaml' });
  return tabs;
}

/** The tab a sub-path of the entity page belongs to: `docs/setup` → the tab at `docs`. */
export function activeTab(tabs: readonly EntityPageTab[], subPath: string): EntityPageTab | undefined {
  const path = subPath.replace(/^\/+|\/+$/g, '');
  if (path === '') return tabs.find((t) => t.path === '');
  return tabs.find((t) => t.path !== '' && (path === t.path || path.startsWith(`${t.path}/`)));
}
