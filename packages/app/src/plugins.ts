import type { ComponentType } from 'react';
import type { FrontendPlugin } from '@atrium/frontend-plugin-api';
import { automationsPlugin } from '@atrium/plugin-automations/frontend';
import { catalogPlugin } from '@atrium/plugin-catalog/frontend';
import { systemPlugin } from '@atrium/plugin-system/frontend';
import { integrationsPlugin } from '@atrium/plugin-integrations/frontend';
import { NotificationsBell, notificationsPlugin } from '@atrium/plugin-notifications/frontend';
import { scaffolderPlugin } from '@atrium/plugin-scaffolder/frontend';
import { scorecardsPlugin } from '@atrium/plugin-scorecards/frontend';
import { SearchLauncher, searchPlugin } from '@atrium/plugin-search/frontend';
import { techdocsPlugin } from '@atrium/plugin-techdocs/frontend';

// The installed frontend plugins. Adding a plugin is one line here (and one in the backend's list).
export const installedPlugins: FrontendPlugin[] = [
  systemPlugin,
  catalogPlugin,
  scaffolderPlugin,
  scorecardsPlugin,
  techdocsPlugin,
  notificationsPlugin,
  searchPlugin,
  integrationsPlugin,
  automationsPlugin,
];

/** Plugin widgets in the header, left of the colour-scheme toggle. */
export const headerWidgets: ComponentType[] = [SearchLauncher, NotificationsBell];
