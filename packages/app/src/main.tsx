import '@mantine/core/styles.css';
import { createExtensionRegistry } from '@atrium/frontend-plugin-api';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppProviders } from './AppProviders';
import { AppRoutes } from './AppRoutes';
import { installedPlugins } from './plugins';
import { createSignInRedirect } from './auth/unauthorized';
import { createQueryClient } from './queryClient';

const registry = createExtensionRegistry(installedPlugins);
for (const problem of registry.problems) console.error(`[atrium] ${problem}`);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <AppProviders registry={registry} queryClient={createQueryClient({ onError: createSignInRedirect() })}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProviders>
  </StrictMode>,
);
