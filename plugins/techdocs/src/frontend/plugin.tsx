import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconBook2 } from '@tabler/icons-react';
import { hasDocs } from './entityDocs';

export const techdocsPlugin = definePlugin({
  id: 'techdocs',
  title: 'Docs',
  routes: [
    { path: '/docs', loader: () => import('./DocsHomePage') },
    { path: '/docs/:namespace/:kind/:name/*', loader: () => import('./DocsReaderPage') },
  ],
  nav: [{ title: 'Docs', path: '/docs', icon: <IconBook2 size={18} stroke={1.6} />, order: 200 }],
  entityTabs: [{ id: 'techdocs', title: 'Docs', path: 'docs', if: hasDocs, loader: () => import('./EntityDocsTab') }],
});
