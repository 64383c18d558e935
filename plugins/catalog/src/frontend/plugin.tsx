import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconCategory } from '@tabler/icons-react';
import { prefetchCatalogPage } from './routePrefetch';

/**
 * The catalog UI: the explorer at /catalog, entity pages at /catalog/:namespace/:kind/:name,
 * the locations admin page, and registering repositories at /catalog-import (Backstage's
 * paths). Every page is its own chunk, so opening one page loads only that page.
 */
export const catalogPlugin = definePlugin({
  id: 'catalog',
  title: 'Catalog',
  routes: [
    {
      path: '/catalog/*',
      loader: async () => {
        const page = prefetchCatalogPage(window.location.pathname).catch(() => undefined);
        const [routes] = await Promise.all([import('./CatalogRoutes'), page]);
        return routes;
      },
    },
    { path: '/catalog-import', loader: () => import('./register/RegisterPage') },
  ],
  nav: [{ title: 'Catalog', path: '/catalog', icon: <IconCategory size={18} stroke={1.6} />, order: 100 }],
  homeWidgets: [{ id: 'catalog-overview', title: 'Catalog', size: 'medium', loader: () => import('./CatalogOverviewWidget') }],
});
