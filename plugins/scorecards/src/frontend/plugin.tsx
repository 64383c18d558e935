import { definePlugin } from '@atrium/frontend-plugin-api';
import { IconTargetArrow } from '@tabler/icons-react';

/**
 * Scorecards UI: the overview at /scorecards, team views, initiative pages, and a
 * "Scorecards" tab on every entity page. Each page is its own chunk.
 */
export const scorecardsPlugin = definePlugin({
  id: 'scorecards',
  title: 'Scorecards',
  routes: [{ path: '/scorecards/*', loader: () => import('./ScorecardsRoutes') }],
  nav: [{ title: 'Scorecards', path: '/scorecards', icon: <IconTargetArrow size={18} stroke={1.6} />, order: 300 }],
  entityTabs: [
    {
      id: 'scorecards',
      title: 'Scorecards',
      path: 'scorecards',
      if: (entity) => !['Scorecard', 'Initiative', 'Location'].includes(entity.kind),
      loader: () => import('./EntityScorecardsTab'),
    },
  ],
});
