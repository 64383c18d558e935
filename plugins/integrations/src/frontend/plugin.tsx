import { definePlugin, type EntityLike } from '@atrium/frontend-plugin-api';
import { IconPlugConnected } from '@tabler/icons-react';

/** An entity naming its repository (the same check as the card's, kept here so the card's chunk loads only when it shows). */
const namesRepository = (entity: EntityLike) => {
  const annotations = (entity.metadata['annotations'] ?? {}) as Record<string, unknown>;
  return ['github.com/project-slug', 'gitlab.com/project-slug'].some((k) => typeof annotations[k] === 'string' && (annotations[k] as string).trim() !== '');
};

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
  // Latest CI runs, open pull/merge requests and last commit of the repository an entity names.
  entityCards: [{ id: 'source-control', area: 'main', if: namesRepository, loader: () => import('./EntityScmCard') }],
});
