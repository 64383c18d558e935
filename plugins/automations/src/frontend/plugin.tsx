import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconBolt } from '@tabler/icons-react';

export const automationsPlugin = definePlugin({
  id: 'automations',
  title: 'Automations',
  routes: [{ path: '/automations/*', loader: () => import('./AutomationsRoutes') }],
  nav: [{ title: 'Automations', path: '/automations', icon: <IconBolt size={18} stroke={1.6} />, order: 700, permission: 'automations.automation.read' }],
});
