import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { docsPagePath, normalizeRoute, type EntityTriplet } from '../common';
import { DocsReader } from './reader/DocsReader';

/** `/docs/:namespace/:kind/:name/<page route>#<anchor>`: a site in the reader, as in Backstage. */
export default function DocsReaderPage() {
  const params = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const namespace = params['namespace'] ?? 'default';
  const kind = params['kind'] ?? '';
  const name = params['name'] ?? '';
  const triplet: EntityTriplet = useMemo(() => ({ namespace, kind, name }), [namespace, kind, name]);
  const route = normalizeRoute(params['*'] ?? '');
  const anchor = location.hash ? decodeURIComponent(location.hash.slice(1)) : null;
  const hrefFor = useCallback((r: string, a?: string | null) => docsPagePath(triplet, r, a), [triplet]);
  const go = useCallback((r: string, a?: string | null) => navigate(hrefFor(r, a)), [navigate, hrefFor]);
  return (
    <DocsReader key={`${triplet.namespace}/${triplet.kind}/${triplet.name}`} triplet={triplet} route={route} anchor={anchor} hrefFor={hrefFor} navigate={go} />
  );
}
