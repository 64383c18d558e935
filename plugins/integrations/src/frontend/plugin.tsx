import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconPlugConnected } from '@tabler/icons-react';

export const integrationsPlugin = definePlugin({
  id: 'integrations',
  title: 'Integrations',
  routes: [{ path: '/integrations', loader: () => import('./IntegrationsPage') }],
  nav: [
    {
      title: 'Integrations',
      path: '/integrations',
      icon: <IconPlugConnected size={18} stroke={1.6} />,
      order: 880,
      permission: 'integrations.integration.read',
    },
  ],
});
