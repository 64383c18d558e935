import { LoadingState } from '@atrium/ui';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { AutomationsNotFound } from './NotFound';

const AutomationsPage = lazy(() => import('./AutomationsPage'));
const AutomationPage = lazy(() => import('./AutomationPage'));

/** The pages under /automations; any other address under it is a not-found page. */
export default function AutomationsRoutes() {
  return (
    <Suspense fallback={<LoadingState label="Loading page…" />}>
      <Routes>
        <Route index element={<AutomationsPage />} />
        <Route path=":id" element={<AutomationPage />} />
        <Route path="*" element={<AutomationsNotFound />} />
      </Routes>
    </Suspense>
  );
}
