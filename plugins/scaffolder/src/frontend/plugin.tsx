import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconSparkles } from '@tabler/icons-react';

/**
 * Software templates: /create lists them, /create/templates/:namespace/:name runs one,
 * /create/tasks/:taskId follows a run (Backstage's paths). A Template's catalog page gets a
 * "Launch" card; day-2 templates show as actions on the entities they apply to.
 */
export const scaffolderPlugin = definePlugin({
  id: 'scaffolder',
  title: 'Create',
  routes: [{ path: '/create/*', loader: () => import('./ScaffolderRoutes') }],
  nav: [{ title: 'Create', path: '/create', icon: <IconSparkles size={18} stroke={1.6} />, order: 300 }],
  entityCards: [
    {
      id: 'scaffolder-template-launch',
      area: 'side',
      if: (entity) => entity.kind.toLowerCase() === 'template',
      loader: () => import('./components/TemplateLaunchCard'),
    },
    { id: 'scaffolder-entity-actions', area: 'side', loader: () => import('./components/EntityActionsCard') },
  ],
});
