import { LoadingState } from '@atrium/ui';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';

const OverviewPage = lazy(() => import('./OverviewPage'));
const TeamPage = lazy(() => import('./TeamPage'));
const InitiativePage = lazy(() => import('./InitiativePage'));

/** The pages under /scorecards. */
export default function ScorecardsRoutes() {
  return (
    <Suspense fallback={<LoadingState label="Loading page…" />}>
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="teams/:owner" element={<TeamPage />} />
        <Route path="initiatives/:id" element={<InitiativePage />} />
        <Route path="*" element={<OverviewPage />} />
      </Routes>
    </Suspense>
  );
}
