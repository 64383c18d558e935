import { defineRoute, InputError, NotFoundError } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import type { Location } from '../../common/index.js';
import { notFound } from '../query/entityLookup.js';
import { toLocation } from '../store/locationsStore.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, READ_LOCATIONS, type CatalogRouteServices, type EntityNameParams } from './services.js';
import { assertReadable } from './visibility.js';

interface LocationQueryBody {
  limit?: number;
  query?: object;
  cursor?: string;
}

/** POST /locations/by-query: locations matching a predicate on their fields, paged by id. */
export const queryLocations = defineRoute<CatalogRouteServices, Record<string, string>, Record<string, unknown>, LocationQueryBody>({
  method: 'post',
  path: '/locations/by-query',
  body: schemas.queryLocationsBody,
  permission: READ_LOCATIONS,
  summary: 'Query locations',
  response: {
    description: 'Page of locations',
    schema: {
      type: 'object',
      properties: {
        items: { type: 'array', items: componentRef('Location') },
        totalItems: { type: 'integer' },
        pageInfo: { type: 'object', properties: { nextCursor: { type: 'string' } } },
      },
    },
  },
  handler: async ({ body }, { locations }) => {
    let limit = body.limit ?? 1000;
    let afterId: string | undefined;
    let query = body.query;
    if (body.cursor) {
      try {
        const c = JSON.parse(Buffer.from(body.cursor, 'base64').toString('utf8')) as { limit: number; afterId: string; query?: object };
        if (typeof c.limit !== 'number' || typeof c.afterId !== 'string') throw new Error('bad');
        ({ limit, afterId, query } = { limit: body.limit ?? c.limit, afterId: c.afterId, query: c.query });
      } catch {
        throw new InputError('Malformed cursor: it is not one this server handed out');
      }
    }
    const all = (await locations.list())
      .map(toLocation)
      .filter((l) => matchesLocationQuery(l, query))
      .sort((a, b) => a.id.localeCompare(b.id));
    const after = afterId;
    const start = after ? all.filter((l) => l.id > after) : all;
    const items = start.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      start.length > limit && last ? Buffer.from(JSON.stringify({ limit, afterId: last.id, ...(query ? { query } : {}) })).toString('base64') : undefined;
    return { items, totalItems: all.length, pageInfo: nextCursor ? { nextCursor } : {} };
  },
});

/**
 * GET /locations/by-entity/:kind/:namespace/:name: the location that provides an entity. An
 * entity the caller may not read is a 404 here too (the answer would reveal that it exists).
 */
export const getLocationByEntity = defineRoute<CatalogRouteServices, EntityNameParams>({
  method: 'get',
  path: '/locations/by-entity/:kind/:namespace/:name',
  params: schemas.entityNameParams,
  permission: READ_LOCATIONS,
  summary: 'The location that provides an entity',
  response: { description: 'Location', schema: componentRef('Location') },
  responses: notFoundReply('No such entity, or it is orphaned'),
  handler: async ({ params: { kind, namespace, name }, caller }, { lookup, locations, permissions }) => {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const record = await lookup.byRef(ref);
    if (!record) throw notFound(kind, namespace, name);
    await assertReadable(permissions, caller, ref, record.final ?? undefined, () => notFound(kind, namespace, name));
    const row = record.location_id ? await locations.get(record.location_id) : undefined;
    if (!row) throw new NotFoundError(`No location found for entity ${record.entity_ref}; it is not provided by any location (orphaned)`);
    return toLocation(row);
  },
});

function matchesLocationQuery(location: Location, query: object | undefined): boolean {
  if (!query) return true;
  const q = query as Record<string, unknown>;
  if (Array.isArray(q.$all)) return q.$all.every((p) => matchesLocationQuery(location, p as object));
  if (Array.isArray(q.$any)) return q.$any.some((p) => matchesLocationQuery(location, p as object));
  if (q.$not && typeof q.$not === 'object') return !matchesLocationQuery(location, q.$not);
  return Object.entries(q).every(([key, expected]) => {
    const actual = (location as unknown as Record<string, unknown>)[key];
    if (expected && typeof expected === 'object') {
      const op = expected as Record<string, unknown>;
      if (Array.isArray(op.$in)) return op.$in.some((v) => String(v).toLowerCase() === String(actual ?? '').toLowerCase());
      if (typeof op.$exists === 'boolean') return (actual !== undefined) === op.$exists;
      if (typeof op.$hasPrefix === 'string')
        return String(actual ?? '')
          .toLowerCase()
          .startsWith(op.$hasPrefix.toLowerCase());
      throw new InputError(`Invalid query: unsupported operator for locations field ${key}`);
    }
    return String(actual ?? '').toLowerCase() === String(expected).toLowerCase();
  });
}
