/**
 * A result's `location` as a path inside the app, or undefined when it is not one (an absolute
 * URL, `//host`, `javascript:`…). The palette and the search page only navigate within the app.
 */
export function appPath(location: string | undefined): string | undefined {
  if (typeof location !== 'string' || !location.startsWith('/') || location.startsWith('//') || location.startsWith('/\\')) return undefined;
  return location;
}

/** The full search page for a term (and optionally one type). */
export function searchPagePath(term: string, type?: string): string {
  const params = new URLSearchParams();
  if (term) params.set('q', term);
  if (type) params.set('type', type);
  const query = params.toString();
  return `/search${query ? `?${query}` : ''}`;
}
