import { InputError } from '@atrium/backend-plugin-api';
import { SEARCH_FACETS, type SearchFacet } from '../common/index.js';
import { MAX_TERM_CHARS } from './text.js';

export interface SearchParams {
  term: string;
  types: string[];
  filters: Partial<Record<SearchFacet, string[]>>;
  pageCursor?: string;
  pageLimit: number;
}

const strings = (v: unknown, name: string): string[] => {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) throw new InputError(`Invalid ${name}: give it as a plain query parameter (${name}=value)`);
  return list as string[];
};

/** An owner as a full lower-case ref (`team-a` → `group:default/team-a`), as facets report it. */
export function ownerRef(owner: string): string {
  const o = owner.trim().toLowerCase();
  const withKind = o.includes(':') ? o : `group:${o}`;
  return withKind.includes('/') ? withKind : withKind.replace(':', ':default/');
}

/**
 * The query string of `/api/search/query`, in Express's plain form (`filters[kind]=x` arrives as
 * that key) or nested (`filters: { kind }`): unknown parameters, types and filters are a 400
 * naming what is allowed.
 */
export function parseSearchParams(query: Record<string, unknown>, knownTypes: readonly string[]): SearchParams {
  const out: SearchParams = { term: '', types: [], filters: {}, pageLimit: 25 };
  const addFilter = (key: string, value: unknown) => {
    if (!(SEARCH_FACETS as readonly string[]).includes(key)) {
      throw new InputError(`Unknown filter "${key}": allowed filters are ${SEARCH_FACETS.join(', ')}`);
    }
    const values = strings(value, `filters[${key}]`).map((v) => v.slice(0, 500));
    (out.filters[key as SearchFacet] ??= []).push(...values);
  };
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (key === 'term') {
      const [t] = strings(value, 'term');
      out.term = (t ?? '').slice(0, MAX_TERM_CHARS);
    } else if (key === 'types' || key === 'types[]') {
      out.types.push(...strings(value, 'types'));
    } else if (key === 'filters' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) addFilter(k, v);
    } else if (/^filters\[[^\]]*\]$/.test(key)) {
      addFilter(key.slice(8, -1), value);
    } else if (key === 'pageCursor') {
      const [c] = strings(value, 'pageCursor');
      if (c) out.pageCursor = c;
    } else if (key === 'pageLimit') {
      const [l] = strings(value, 'pageLimit');
      const n = Number(l);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new InputError(`Invalid pageLimit "${String(l).slice(0, 20)}": an integer from 1 to 100`);
      out.pageLimit = n;
    } else {
      throw new InputError(`Unknown query parameter "${key.slice(0, 50)}": allowed are term, types, filters[<facet>], pageCursor, pageLimit`);
    }
  }
  const unknown = out.types.filter((t) => !knownTypes.includes(t));
  if (unknown.length > 0) throw new InputError(`Unknown type "${unknown[0]!.slice(0, 50)}": allowed types are ${knownTypes.join(', ') || '(none registered)'}`);
  out.types = [...new Set(out.types)].sort();
  if (out.filters.owner) out.filters.owner = out.filters.owner.map(ownerRef);
  return out;
}
