import { definePlugin, type EntityLike } from '@atrium/frontend-plugin-api';
import { IconChartBar, IconTargetArrow } from '@tabler/icons-react';
import { initiativePath, scorecardPath } from './paths';

const isKind = (kind: string) => (entity: EntityLike) => entity.kind.toLowerCase() === kind.toLowerCase();
const scored = (entity: EntityLike) => !['scorecard', 'initiative', 'location'].includes(entity.kind.toLowerCase());

/**
 * Scorecards UI: the overview at /scorecards, a page per scorecard and per rule, team views,
 * initiative pages; a "Scorecards" tab and summary card on entity pages; and a "Results" button
 * on Scorecard and Initiative entities. Each page is its own chunk.
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
      if: scored,
      loader: () => import('./EntityScorecardsTab'),
    },
  ],
  entityCards: [
    { id: 'scorecards-summary', area: 'side', if: scored, loader: () => import('./EntityScorecardsCard') },
    { id: 'scorecard-results', area: 'side', if: isKind('Scorecard'), loader: () => import('./ScorecardResultsCard') },
    { id: 'initiative-progress', area: 'side', if: isKind('Initiative'), loader: () => import('./InitiativeProgressCard') },
  ],
  entityActions: [
    {
      id: 'scorecard-results',
      title: 'Results',
      if: isKind('Scorecard'),
      href: (e) => scorecardPath(e.metadata.name),
      icon: <IconChartBar size={16} aria-hidden />,
      primary: true,
    },
    {
      id: 'initiative-results',
      title: 'Progress',
      if: isKind('Initiative'),
      href: (e) => initiativePath(e.metadata.name),
      icon: <IconChartBar size={16} aria-hidden />,
      primary: true,
    },
  ],
});
