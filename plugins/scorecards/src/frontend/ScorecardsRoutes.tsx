import { LoadingState } from '@atrium/ui';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { ScorecardsNotFound } from './NotFound';

const OverviewPage = lazy(() => import('./OverviewPage'));
const ScorecardPage = lazy(() => import('./ScorecardPage'));
const RulePage = lazy(() => import('./RulePage'));
const TeamPage = lazy(() => import('./TeamPage'));
const InitiativePage = lazy(() => import('./InitiativePage'));

/** The pages under /scorecards; any other address under it is a not-found page, not the overview. */
export default function ScorecardsRoutes() {
  return (
    <Suspense fallback={<LoadingState label="Loading page…" />}>
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="teams/:owner" element={<TeamPage />} />
        <Route path="initiatives/:id" element={<InitiativePage />} />
        <Route path=":id" element={<ScorecardPage />} />
        <Route path=":id/rules/:ruleId" element={<RulePage />} />
        <Route path="*" element={<ScorecardsNotFound />} />
      </Routes>
    </Suspense>
  );
}
