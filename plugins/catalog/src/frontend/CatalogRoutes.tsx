import { LoadingState } from '@atrium/ui';
import { Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { useCatalogLiveUpdates } from './live/useCatalogLiveUpdates';
import { CatalogExplorerPage, CatalogNotFound, EntityPage, LocationsPage, RegisterPage } from './pages';

/** The pages under /catalog; each loads on first visit (or earlier, see routePrefetch.ts). */
export default function CatalogRoutes() {
  useCatalogLiveUpdates();
  return (
    <Suspense fallback={<LoadingState label="Loading page…" />}>
      <Routes>
        <Route index element={<CatalogExplorerPage />} />
        <Route path="locations" element={<LocationsPage />} />
        <Route path="register" element={<RegisterPage />} />
        <Route path=":namespace/:kind/:name/*" element={<EntityPage />} />
        <Route path="*" element={<CatalogNotFound />} />
      </Routes>
    </Suspense>
  );
}
