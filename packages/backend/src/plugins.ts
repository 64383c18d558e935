import type { BackendPlugin } from '@atrium/backend-plugin-api';
import { automationsPlugin } from '@atrium/plugin-automations/backend';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { eventsPlugin, systemPlugin } from '@atrium/plugin-system/backend';
import { integrationsPlugin } from '@atrium/plugin-integrations/backend';
import { notificationsPlugin } from '@atrium/plugin-notifications/backend';
import { scaffolderPlugin } from '@atrium/plugin-scaffolder/backend';
import { scorecardsPlugin } from '@atrium/plugin-scorecards/backend';
import { searchPlugin } from '@atrium/plugin-search/backend';
import { techdocsPlugin } from '@atrium/plugin-techdocs/backend';

/** The installed backend plugins. Adding a plugin is one line here (and one in packages/app/src/plugins.ts). */
export const defaultPlugins: BackendPlugin[] = [
  systemPlugin,
  catalogPlugin,
  notificationsPlugin,
  scorecardsPlugin,
  scaffolderPlugin,
  techdocsPlugin,
  searchPlugin,
  integrationsPlugin,
  eventsPlugin,
  automationsPlugin,
];

/** The id of the service the host's auth module finds entities through (group ownership), provided by the catalog plugin. */
export const entityLookupServiceId: string = catalogServiceRef.id;
