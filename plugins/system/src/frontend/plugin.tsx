import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconListDetails, IconServerCog } from '@tabler/icons-react';

export const systemPlugin = definePlugin({
  id: 'system',
  title: 'System',
  routes: [
    { path: '/system', loader: () => import('./SystemPage') },
    { path: '/audit', loader: () => import('./AuditPage') },
  ],
  nav: [
    { title: 'System', path: '/system', icon: <IconServerCog size={18} stroke={1.6} />, order: 900 },
    { title: 'Audit log', path: '/audit', icon: <IconListDetails size={18} stroke={1.6} />, order: 901 },
  ],
  homeWidgets: [
    { id: 'system-status', title: 'System status', size: 'medium', loader: () => import('./SystemStatusWidget') },
  ],
});
