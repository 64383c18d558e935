import { LoadingState } from '@atrium/ui';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';

const CatalogExplorerPage = lazy(() => import('./explorer/CatalogExplorerPage'));
const EntityPage = lazy(() => import('./entity/EntityPage'));
const LocationsPage = lazy(() => import('./locations/LocationsPage'));
const RegisterPage = lazy(() => import('./register/RegisterPage'));
const NotFound = lazy(() => import('./components/CatalogNotFound'));

/** The pages under /catalog; each loads on first visit. */
export default function CatalogRoutes() {
  return (
    <Suspense fallback={<LoadingState label="Loading page…" />}>
      <Routes>
        <Route index element={<CatalogExplorerPage />} />
        <Route path="locations" element={<LocationsPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path=":namespace/:kind/:name/*" element={<EntityPage />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
