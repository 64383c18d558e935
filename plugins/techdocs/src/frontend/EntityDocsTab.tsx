import { useEntity } from '@atrium/frontend-plugin-api';
import { useCallback } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { normalizeRoute } from '../common';
import { docsTripletOf } from './entityDocs';
import { DocsReader } from './reader/DocsReader';

/**
 * The "Docs" tab of an entity page: the same reader, with the page in a `?doc=` query parameter
 * so it works whatever path the entity page gives its tabs.
 */
export default function EntityDocsTab() {
  const entity = useEntity();
  const triplet = docsTripletOf(entity);
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const route = normalizeRoute(params.get('doc') ?? '');
  const anchor = location.hash ? decodeURIComponent(location.hash.slice(1)) : null;
  const hrefFor = useCallback(
    (r: string, a?: string | null) => {
      const next = new URLSearchParams(location.search);
      if (r) next.set('doc', r);
      else next.delete('doc');
      const qs = next.toString();
      return `${location.pathname}${qs ? `?${qs}` : ''}${a ? `#${encodeURIComponent(a)}` : ''}`;
    },
    [location.pathname, location.search],
  );
  const go = useCallback((r: string, a?: string | null) => navigate(hrefFor(r, a)), [navigate, hrefFor]);
  return <DocsReader triplet={triplet} route={route} anchor={anchor} hrefFor={hrefFor} navigate={go} embedded />;
}
