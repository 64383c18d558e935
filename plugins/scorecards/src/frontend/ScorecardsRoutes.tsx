import { LoadingState } from '@atrium/ui';
import { Code } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { NotFoundPage } from './NotFound';

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
        <Route path="*" element={<NoSuchPage />} />
      </Routes>
    </Suspense>
  );
}

function NoSuchPage() {
  const { pathname } = useLocation();
  return (
    <NotFoundPage title="Page not found">
      There is no scorecards page at <Code>{pathname}</Code>.
    </NotFoundPage>
  );
}
