import { isCoreServiceRef, type BackendPlugin, type ServiceRef } from '@atrium/backend-plugin-api';
import { StartupError } from './StartupError.js';

export interface PluginNode {
  plugin: BackendPlugin;
  /** Ids of the plugins providing this plugin's dependencies (required and installed optional ones). */
  dependsOn: string[];
  /** The subset of dependsOn that is optional: this plugin still starts when one of them failed. */
  optional: string[];
}

/** Orders plugins so every plugin starts after the plugins whose services it uses. */
export function orderPlugins(plugins: BackendPlugin[]): PluginNode[] {
  const ids = new Set<string>();
  const providers = new Map<string, string>();
  for (const p of plugins) {
    if (ids.has(p.id)) throw new StartupError(`Two backend plugins have the id "${p.id}"; plugin ids must be unique.`);
    ids.add(p.id);
    if (p.provides) providers.set(p.provides.id, p.id);
  }
  const nodes = new Map<string, PluginNode>();
  for (const p of plugins) {
    // Core services (coreServices.*) come from the host, not from a plugin: they do not order plugins.
    const pluginRefs = (refs: Record<string, ServiceRef<unknown>> | undefined) => Object.entries(refs ?? {}).filter(([, ref]) => !isCoreServiceRef(ref));
    const dependsOn = pluginRefs(p.deps).map(([name, ref]) => {
      const provider = providers.get(ref.id);
      if (!provider) {
        throw new StartupError(
          `Backend plugin "${p.id}" needs the service "${ref.id}" (as deps.${name}), but no installed plugin provides it. ` +
            `Install the plugin that provides it in packages/backend/src/plugins.ts.`,
        );
      }
      return provider;
    });
    const optional = pluginRefs(p.optionalDeps)
      .map(([, ref]) => providers.get(ref.id))
      .filter((id): id is string => id !== undefined);
    nodes.set(p.id, {
      plugin: p,
      dependsOn: [...new Set([...dependsOn, ...optional])],
      optional: [...new Set(optional)].filter((o) => !dependsOn.includes(o)),
    });
  }
  const ordered: PluginNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      throw new StartupError(`Backend plugins depend on each other in a cycle: ${[...trail, id].join(' -> ')}.`);
    }
    state.set(id, 'visiting');
    const node = nodes.get(id)!;
    for (const dep of node.dependsOn) visit(dep, [...trail, id]);
    state.set(id, 'done');
    ordered.push(node);
  };
  for (const p of plugins) visit(p.id, []);
  return ordered;
}
