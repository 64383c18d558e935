import { preloadable } from './components/preloadable';

/** The catalog's pages, each its own chunk; routePrefetch.ts preloads the one a URL needs. */
export const CatalogExplorerPage = preloadable(() => import('./explorer/CatalogExplorerPage'));
export const EntityPage = preloadable(() => import('./entity/EntityPage'));
export const LocationsPage = preloadable(() => import('./locations/LocationsPage'));
export const RegisterPage = preloadable(() => import('./register/RegisterPage'));
export const CatalogNotFound = preloadable(() => import('./components/CatalogNotFound'));
