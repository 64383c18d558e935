import { InputError } from '@atrium/backend-plugin-api';
import type { EntityOrder, FilterPredicate, FullTextFilter } from '../../common/index.js';
import { parseFilterParams } from '../filters/parseFilter.js';
import { parsePredicate } from '../filters/parsePredicate.js';
import { decodeCursor, parseOrderFields } from './cursor.js';
import type { EntityQuery } from './queryEntities.js';

/** Backstage 4's by-query page size when the caller names none. */
export const DEFAULT_QUERY_LIMIT = 200;

/** GET /entities/by-query parameters (already shape-checked) → a page query. */
export function entityQueryFromParams(q: {
  filter?: string | string[];
  orderField?: string | string[];
  cursor?: string;
  limit?: number;
  offset?: number;
  fullTextFilterTerm?: string;
  fullTextFilterFields?: string | string[];
  totalItems?: 'include' | 'exclude';
}): EntityQuery {
  const limit = q.limit ?? DEFAULT_QUERY_LIMIT;
  if (q.cursor) return fromCursor(q.cursor, limit);
  const filterParams = q.filter === undefined ? undefined : Array.isArray(q.filter) ? q.filter : [q.filter];
  const filter = parseFilterParams(filterParams);
  const term = q.fullTextFilterTerm?.trim();
  const fields =
    q.fullTextFilterFields === undefined
      ? undefined
      : (Array.isArray(q.fullTextFilterFields) ? q.fullTextFilterFields : [q.fullTextFilterFields])
          .flatMap((f) => f.split(','))
          .map((f) => f.trim())
          .filter(Boolean);
  const fullText: FullTextFilter | undefined = term ? { term, ...(fields?.length ? { fields } : {}) } : undefined;
  return {
    ...(filter ? { filter } : {}),
    ...(filterParams ? { filterSource: { filter: filterParams } } : {}),
    ...(fullText ? { fullText } : {}),
    orderFields: parseOrderFields(q.orderField),
    limit,
    ...(q.offset ? { offset: q.offset } : {}),
    includeTotal: q.totalItems !== 'exclude',
  };
}

/** POST /entities/by-query body (already shape-checked) → a page query. */
export function entityQueryFromBody(b: {
  query?: FilterPredicate;
  orderBy?: Array<{ field: string; order?: 'asc' | 'desc' }>;
  fullTextFilter?: { term?: string; fields?: string[] };
  limit?: number;
  offset?: number;
  cursor?: string;
  totalItems?: 'include' | 'exclude';
}): EntityQuery {
  const limit = b.limit ?? DEFAULT_QUERY_LIMIT;
  if (b.cursor) return fromCursor(b.cursor, limit);
  const filter = b.query !== undefined ? parsePredicate(b.query) : undefined;
  const term = b.fullTextFilter?.term?.trim();
  const fields = b.fullTextFilter?.fields?.map((f) => f.trim()).filter(Boolean);
  const orderFields: EntityOrder[] = (b.orderBy ?? []).map((o) => ({ field: o.field, order: o.order ?? 'asc' }));
  return {
    ...(filter ? { filter } : {}),
    ...(b.query !== undefined ? { filterSource: { query: b.query } } : {}),
    ...(term ? { fullText: { term, ...(fields?.length ? { fields } : {}) } } : {}),
    orderFields,
    limit,
    ...(b.offset ? { offset: b.offset } : {}),
    includeTotal: b.totalItems !== 'exclude',
  };
}

/** A cursor carries the filter, sort and full-text filter of the first request. */
function fromCursor(raw: string, limit: number): EntityQuery {
  const cursor = decodeCursor(raw);
  let filter;
  try {
    filter = cursor.query !== undefined ? parsePredicate(cursor.query) : parseFilterParams(cursor.filter);
  } catch {
    throw new InputError('Malformed cursor: its filter is invalid');
  }
  return {
    ...(filter ? { filter } : {}),
    ...(cursor.query !== undefined ? { filterSource: { query: cursor.query } } : cursor.filter ? { filterSource: { filter: cursor.filter } } : {}),
    ...(cursor.fullTextFilter ? { fullText: cursor.fullTextFilter } : {}),
    orderFields: cursor.orderFields,
    limit,
    cursor,
    includeTotal: cursor.totalItems !== undefined,
  };
}
