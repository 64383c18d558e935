import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconCategory } from '@tabler/icons-react';

// A placeholder until the catalog UI lands: one nav entry and one page.
export const catalogPlugin = definePlugin({
  id: 'catalog',
  title: 'Catalog',
  routes: [{ path: '/catalog/*', loader: () => import('./CatalogPlaceholderPage') }],
  nav: [{ title: 'Catalog', path: '/catalog', icon: <IconCategory size={18} stroke={1.6} />, order: 100 }],
});
