import { createContext, useContext, type ReactNode } from 'react';
import type { ExtensionRegistry } from './registry';

const ExtensionRegistryContext = createContext<ExtensionRegistry | null>(null);

export function ExtensionRegistryProvider(props: { registry: ExtensionRegistry; children: ReactNode }) {
  return <ExtensionRegistryContext.Provider value={props.registry}>{props.children}</ExtensionRegistryContext.Provider>;
}

/** The merged extensions of all installed plugins, e.g. for an entity page to render other plugins' tabs. */
export function useExtensions(): ExtensionRegistry {
  const registry = useContext(ExtensionRegistryContext);
  if (registry === null) {
    throw new Error('useExtensions() must be used inside <ExtensionRegistryProvider>, which the app shell provides.');
  }
  return registry;
}
