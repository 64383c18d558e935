import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconBell } from '@tabler/icons-react';

export const notificationsPlugin = definePlugin({
  id: 'notifications',
  title: 'Notifications',
  routes: [
    { path: '/notifications', loader: () => import('./NotificationsPage') },
    { path: '/notifications/preferences', loader: () => import('./PreferencesPage') },
  ],
  nav: [{ title: 'Notifications', path: '/notifications', icon: <IconBell size={18} stroke={1.6} />, order: 850 }],
});
