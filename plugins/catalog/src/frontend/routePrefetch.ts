/**
 * Loads the page chunk a /catalog URL needs alongside the router chunk, so the two downloads
 * overlap, and the route can wait for both: the page then renders without suspending a second
 * time (see preloadable.ts). For the explorer it also asks for the first page of rows.
 */
export function prefetchCatalogPage(pathname: string): Promise<unknown> {
  const rest = pathname.replace(/^\/catalog\/?/, '').replace(/\/+$/, '');
  if (rest === '') void import('./explorer/listPrefetch').then((m) => m.prefetchExplorerList(window.location.search));
  return import('./pages').then((pages) => {
    if (rest === '') return pages.CatalogExplorerPage.preload();
    if (rest === 'locations') return pages.LocationsPage.preload();
    if (rest === 'register') return pages.RegisterPage.preload();
    if (rest.split('/').length >= 3) return pages.EntityPage.preload();
    return undefined;
  });
}
