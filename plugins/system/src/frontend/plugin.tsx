import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconListDetails, IconServerCog, IconShieldCheck } from '@tabler/icons-react';

export const systemPlugin = definePlugin({
  id: 'system',
  title: 'System',
  routes: [
    { path: '/system', loader: () => import('./SystemPage') },
    { path: '/audit', loader: () => import('./AuditPage') },
    { path: '/permissions', loader: () => import('./PermissionsPage') },
  ],
  nav: [
    { title: 'System', path: '/system', icon: <IconServerCog size={18} stroke={1.6} />, order: 900 },
    { title: 'Audit log', path: '/audit', icon: <IconListDetails size={18} stroke={1.6} />, order: 901 },
    { title: 'Permissions', path: '/permissions', icon: <IconShieldCheck size={18} stroke={1.6} />, order: 902, permission: 'permission.explain' },
  ],
  entityCards: [
    // Whether the permission engine applies a Policy entity, or the error that keeps it out.
    { id: 'policy-status', area: 'side', if: (entity) => entity.kind.toLowerCase() === 'policy', loader: () => import('./PolicyStatusCard') },
  ],
  homeWidgets: [{ id: 'system-status', title: 'System status', size: 'medium', loader: () => import('./SystemStatusWidget') }],
});
