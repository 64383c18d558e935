/**
 * Starts loading the page chunk a /catalog URL needs while the router chunk itself loads, so
 * the two downloads overlap instead of following one another (React's lazy() in CatalogRoutes
 * then finds the module loaded). For the explorer it also asks for the first page of rows.
 */
export function prefetchCatalogPage(pathname: string): void {
  const rest = pathname.replace(/^\/catalog\/?/, '').replace(/\/+$/, '');
  if (rest === '') {
    void import('./explorer/listPrefetch').then((m) => m.prefetchExplorerList(window.location.search));
    void import('./explorer/CatalogExplorerPage');
  }
  else if (rest === 'locations') void import('./locations/LocationsPage');
  else if (rest.split('/').length >= 3) void import('./entity/EntityPage');
}
