import type { FrontendPlugin } from './definePlugin';
import type { EntityActionExtension, EntityCardExtension, EntityTabExtension, HomeWidgetExtension, NavExtension, RouteExtension } from './extensions';

/** An extension together with the id of the plugin that contributed it. */
export type Contributed<T> = T & { readonly pluginId: string };

/** Everything the installed plugins contribute, merged and ordered. */
export interface ExtensionRegistry {
  readonly plugins: readonly FrontendPlugin[];
  readonly routes: ReadonlyArray<Contributed<RouteExtension>>;
  readonly nav: ReadonlyArray<Contributed<NavExtension>>;
  readonly entityTabs: ReadonlyArray<Contributed<EntityTabExtension>>;
  readonly entityCards: ReadonlyArray<Contributed<EntityCardExtension>>;
  /** Ordered by `order`, then installation order. */
  readonly entityActions: ReadonlyArray<Contributed<EntityActionExtension>>;
  readonly homeWidgets: ReadonlyArray<Contributed<HomeWidgetExtension>>;
  /** Conflicts found while merging; the conflicting extension was left out. */
  readonly problems: readonly string[];
}

const DEFAULT_NAV_ORDER = 500;
const DEFAULT_ACTION_ORDER = 500;

/**
 * Merges the installed plugins' extensions. A second plugin with an id already taken, or a
 * route path already claimed, is left out and reported in `problems` rather than thrown,
 * so one bad plugin cannot take the whole app down.
 */
export function createExtensionRegistry(plugins: readonly FrontendPlugin[]): ExtensionRegistry {
  const problems: string[] = [];
  const accepted: FrontendPlugin[] = [];
  const pluginIds = new Set<string>();
  for (const plugin of plugins) {
    if (pluginIds.has(plugin.id)) {
      problems.push(`Plugin "${plugin.id}" is installed twice; the second copy was ignored.`);
      continue;
    }
    pluginIds.add(plugin.id);
    accepted.push(plugin);
  }

  const routeOwners = new Map<string, string>();
  const routes: Array<Contributed<RouteExtension>> = [];
  for (const route of contributions(accepted, (p) => p.routes)) {
    const owner = routeOwners.get(route.path);
    if (owner !== undefined) {
      problems.push(`Route "${route.path}" of plugin "${route.pluginId}" is already provided by plugin "${owner}"; it was ignored.`);
      continue;
    }
    routeOwners.set(route.path, route.pluginId);
    routes.push(route);
  }

  const nav = contributions(accepted, (p) => p.nav).sort(
    (a, b) => (a.order ?? DEFAULT_NAV_ORDER) - (b.order ?? DEFAULT_NAV_ORDER) || a.title.localeCompare(b.title),
  );

  return {
    plugins: accepted,
    routes,
    nav,
    entityTabs: contributions(accepted, (p) => p.entityTabs),
    entityCards: contributions(accepted, (p) => p.entityCards),
    entityActions: contributions(accepted, (p) => p.entityActions).sort((a, b) => (a.order ?? DEFAULT_ACTION_ORDER) - (b.order ?? DEFAULT_ACTION_ORDER)),
    homeWidgets: contributions(accepted, (p) => p.homeWidgets),
    problems,
  };
}

function contributions<T extends object>(plugins: readonly FrontendPlugin[], pick: (plugin: FrontendPlugin) => readonly T[]): Array<Contributed<T>> {
  return plugins.flatMap((plugin) => (pick(plugin) ?? []).map((ext) => ({ ...ext, pluginId: plugin.id })));
}
