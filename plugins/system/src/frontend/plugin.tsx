import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconServerCog } from '@tabler/icons-react';

export const systemPlugin = definePlugin({
  id: 'system',
  title: 'System',
  routes: [{ path: '/system', loader: () => import('./SystemPage') }],
  nav: [{ title: 'System', path: '/system', icon: <IconServerCog size={18} stroke={1.6} />, order: 900 }],
  homeWidgets: [
    { id: 'system-status', title: 'System status', size: 'medium', loader: () => import('./SystemStatusWidget') },
  ],
});
