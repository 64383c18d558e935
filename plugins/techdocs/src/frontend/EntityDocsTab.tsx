import { useEntity } from '@atrium/frontend-plugin-api';
import { useCallback } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { normalizeRoute } from '../common';
import { docsTripletOf } from './entityDocs';
import { DocsReader } from './reader/DocsReader';

/**
 * The "Docs" tab of an entity page: the same reader as /docs. When the entity page routes the
 * tab as `docs/*`, pages live in the path (`…/docs/guides/setup/`); otherwise in `?doc=`.
 */
export default function EntityDocsTab() {
  const entity = useEntity();
  const triplet = docsTripletOf(entity);
  const location = useLocation();
  const navigate = useNavigate();
  const splat = useParams()['*'];
  const inPath = splat !== undefined;
  const tabBase = inPath ? `${location.pathname.slice(0, location.pathname.length - splat.length).replace(/\/+$/, '')}/` : location.pathname;
  const route = normalizeRoute(inPath ? splat : (new URLSearchParams(location.search).get('doc') ?? ''));
  const anchor = location.hash ? decodeURIComponent(location.hash.slice(1)) : null;
  const hrefFor = useCallback(
    (r: string, a?: string | null) => {
      const hash = a ? `#${encodeURIComponent(a)}` : '';
      if (inPath) return `${tabBase}${r ? `${r.split('/').map(encodeURIComponent).join('/')}/` : ''}${hash}`;
      const next = new URLSearchParams(location.search);
      if (r) next.set('doc', r);
      else next.delete('doc');
      const qs = next.toString();
      return `${location.pathname}${qs ? `?${qs}` : ''}${hash}`;
    },
    [inPath, tabBase, location.pathname, location.search],
  );
  const go = useCallback((r: string, a?: string | null) => navigate(hrefFor(r, a)), [navigate, hrefFor]);
  return <DocsReader triplet={triplet} route={route} anchor={anchor} hrefFor={hrefFor} navigate={go} embedded />;
}
