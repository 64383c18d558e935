import { ExtensionRegistryProvider, type ExtensionRegistry } from '@atrium/frontend-plugin-api';
import { MantineProvider } from '@mantine/core';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { colorSchemeManager } from './colorScheme';
import { cssVariablesResolver, theme } from './theme';

export interface AppProvidersProps {
  registry: ExtensionRegistry;
  queryClient: QueryClient;
  children: ReactNode;
}

/** Everything pages rely on: theme and colour scheme, the query cache, the plugins' extensions. */
export function AppProviders(props: AppProvidersProps) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <QueryClientProvider client={props.queryClient}>
        <ExtensionRegistryProvider registry={props.registry}>{props.children}</ExtensionRegistryProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
