/** URL helpers shared by the backend (link rewriting) and the reader. */

export interface EntityTriplet {
  namespace: string;
  kind: string;
  name: string;
}

/** Storage and URL key of an entity's site: lower-cased, as Backstage's `<namespace>/<kind>/<name>`. */
export function tripletPath(t: EntityTriplet): string {
  return [t.namespace, t.kind, t.name].map((p) => encodeURIComponent(p.toLocaleLowerCase('en-US'))).join('/');
}

/** Portal path of a docs page: `/docs/<ns>/<kind>/<name>/<route>/`. */
export function docsPagePath(t: EntityTriplet, route: string, anchor?: string | null): string {
  const tail = route ? `${route.split('/').map(encodeURIComponent).join('/')}/` : '';
  return `/docs/${tripletPath(t)}/${tail}${anchor ? `#${encodeURIComponent(anchor)}` : ''}`;
}

/** API path of a built site's static file (images, downloads). */
export function docsAssetPath(t: EntityTriplet, assetPath: string): string {
  return `/api/techdocs/static/docs/${tripletPath(t)}/${assetPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** Normalizes a reader route from a URL: no leading/trailing slashes, no `index`. */
export function normalizeRoute(raw: string): string {
  let route = raw.replace(/^\/+|\/+$/g, '');
  try {
    route = decodeURIComponent(route);
  } catch {
    // keep as is
  }
  route = route.replace(/(^|\/)index(\.html?|\.md)?$/i, '').replace(/\.(html?|md)$/i, '');
  return route.replace(/\/+$/, '');
}
