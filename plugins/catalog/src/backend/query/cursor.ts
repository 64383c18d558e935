import { InputError } from '@atrium/backend-plugin-api';
import type { EntityOrder, FilterPredicate, FullTextFilter } from '../../common/index.js';

/**
 * The opaque `cursor` of GET/POST /entities/by-query: base64 JSON, like Backstage's. It
 * carries the query (`filter` for string filters, `query` for predicates — catalog-client
 * checks for a `query` key to pick GET or POST), the sort, the keyset position and the total.
 */
export interface QueryCursor {
  orderFields: EntityOrder[];
  /** Sort value (when ordering by a field) then entity id, of the item the page starts after/before. */
  orderFieldValues: Array<string | null>;
  isPrevious: boolean;
  filter?: string[];
  query?: FilterPredicate;
  fullTextFilter?: FullTextFilter;
  totalItems?: number;
}

export function encodeCursor(cursor: QueryCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64');
}

export function decodeCursor(raw: string): QueryCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    throw new InputError('Malformed cursor: it is not one this server handed out');
  }
  const c = parsed as Partial<QueryCursor> | null;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    Array.isArray(c.orderFields) &&
    c.orderFields.every((o) => o && typeof o.field === 'string' && (o.order === 'asc' || o.order === 'desc')) &&
    Array.isArray(c.orderFieldValues) &&
    c.orderFieldValues.every((v) => v === null || typeof v === 'string') &&
    c.orderFieldValues.length === c.orderFields.length + 1 &&
    typeof c.isPrevious === 'boolean' &&
    (c.filter === undefined || (Array.isArray(c.filter) && c.filter.every((f) => typeof f === 'string'))) &&
    (c.totalItems === undefined || typeof c.totalItems === 'number') &&
    (c.fullTextFilter === undefined || (typeof c.fullTextFilter === 'object' && typeof c.fullTextFilter?.term === 'string'));
  if (!ok) throw new InputError('Malformed cursor: it is not one this server handed out');
  return c as QueryCursor;
}

/** Parses `orderField=<field>,asc|desc` parameters (only the first one is used, as in Backstage). */
export function parseOrderFields(raw: string | string[] | undefined): EntityOrder[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    const [field, order = 'asc', ...rest] = String(item)
      .split(',')
      .map((s) => s.trim());
    if (!field || rest.length > 0 || (order !== 'asc' && order !== 'desc')) {
      throw new InputError(`Invalid orderField "${item}": expected <field>,asc or <field>,desc, e.g. metadata.name,asc`);
    }
    return { field, order };
  });
}

/** Parses GET /entities `order=asc:<field>` parameters. */
export function parseOrderParams(raw: string | string[] | undefined): EntityOrder[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    const m = /^(asc|desc):(.+)$/.exec(String(item).trim());
    if (!m || !m[2]!.trim()) throw new InputError(`Invalid order "${item}": expected asc:<field> or desc:<field>, e.g. asc:metadata.name`);
    return { order: m[1] as 'asc' | 'desc', field: m[2]!.trim() };
  });
}
