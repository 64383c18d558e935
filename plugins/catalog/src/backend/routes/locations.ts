import { randomUUID } from 'node:crypto';
import { ConflictError, defineRoute, InputError } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { AddLocationResponse, Location } from '../../common/index.js';
import { locationRefOf, type LocationSpec } from '../ingestion/index.js';
import { toLocation } from '../store/locationsStore.js';
import { checkTarget, configured, locationOrNotFound } from './locationTarget.js';
import * as schemas from './schemas.js';
import { componentRef, notFoundReply, READ_LOCATIONS, type CatalogRouteServices } from './services.js';

type IdParams = { id: string };

/** GET /locations: every registered and configured location, Backstage's `{ data }` wrapping. */
export const listLocations = defineRoute<CatalogRouteServices>({
  method: 'get',
  path: '/locations',
  permission: READ_LOCATIONS,
  summary: 'Registered and configured locations',
  response: { description: 'Locations', schema: { type: 'array', items: { type: 'object', properties: { data: componentRef('Location') } } } },
  handler: async (_request, { locations }) => (await locations.list()).map((row) => ({ data: toLocation(row) })),
});

/** GET /locations/:id */
export const getLocation = defineRoute<CatalogRouteServices, IdParams>({
  method: 'get',
  path: '/locations/:id',
  params: schemas.locationIdParams,
  permission: READ_LOCATIONS,
  summary: 'Location by id',
  response: { description: 'Location', schema: componentRef('Location') },
  responses: notFoundReply('No such location'),
  handler: async ({ params }, ctx) => toLocation(await locationOrNotFound(ctx, params.id)),
});

/** GET /locations/:id/status (Atrium's own): how the last read of a location went. */
export const getLocationStatus = defineRoute<CatalogRouteServices, IdParams>({
  method: 'get',
  path: '/locations/:id/status',
  params: schemas.locationIdParams,
  permission: READ_LOCATIONS,
  summary: "A location's last read: errors, conflicts, entity count",
  response: { description: 'Status' },
  responses: notFoundReply('No such location'),
  handler: async ({ params }, ctx) => ctx.locations.status(await locationOrNotFound(ctx, params.id)),
});

interface AddLocationQuery {
  dryRun?: 'true' | 'false';
  onConflict?: 'reject' | 'refresh';
}
interface AddLocationBody {
  type: LocationSpec['type'];
  target: string;
  presence?: 'required' | 'optional';
}

/**
 * POST /locations: registers a location and reads it at once (201 with its entities). `dryRun=true`
 * only reads it and answers what it holds (400 listing its problems); it checks the same permission.
 */
export const addLocation = defineRoute<CatalogRouteServices, Record<string, string>, AddLocationQuery, AddLocationBody>({
  method: 'post',
  path: '/locations',
  query: schemas.addLocationQuery,
  body: schemas.addLocationBody,
  permission: 'catalog.location.create',
  summary: 'Register a location (dryRun=true only reads it)',
  response: {
    status: 201,
    description: 'Registered (or read, for a dry run)',
    schema: {
      type: 'object',
      properties: { location: componentRef('Location'), entities: { type: 'array', items: componentRef('Entity') }, exists: { type: 'boolean' } },
    },
  },
  responses: {
    '403': { description: 'File outside the allowed roots, or the caller may not catalog.location.create' },
    '409': { description: 'Already registered' },
  },
  handler: async ({ query, body, caller }, ctx) => {
    const { locations, processor } = ctx;
    const spec = checkTarget(ctx, body);
    const existing = await locations.findByTarget(spec.type, spec.target);
    if (query.dryRun === 'true') {
      const tree = await processor.readTree(spec);
      const problems = tree.errors.filter((e) => e.kind !== 'conflict');
      if (problems.length > 0) {
        throw new InputError(
          `Location ${locationRefOf(spec)} has problems: ${problems
            .slice(0, 10)
            .map((e) => `${e.message}${e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : ''}`)
            .join('; ')}`,
          { errors: problems },
        );
      }
      const entities = tree.items.filter((i) => i.entity).map((i) => i.entity as Entity);
      const dry: AddLocationResponse = {
        location: existing ? toLocation(existing) : { id: randomUUID(), type: spec.type, target: spec.target },
        entities,
        exists: Boolean(existing),
      };
      return dry;
    }
    if (existing && query.onConflict !== 'refresh') throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
    if (existing) await locations.requestRefresh(existing.id);
    const row = existing ?? (await locations.insertRegistered({ ...spec, presence: spec.presence ?? 'required' }));
    if (!row) throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
    await processor.processNow(row.id);
    ctx.audit.record({ actor: caller, action: 'catalog.location.create', target: locationRefOf(spec), status: 'succeeded' });
    const response: AddLocationResponse = { location: toLocation(row), entities: await processor.entitiesOfLocation(row.id) };
    return response;
  },
});

/** PUT /locations/:id: points a registered location elsewhere and reads it again. */
export const updateLocation = defineRoute<CatalogRouteServices, IdParams, Record<string, unknown>, { type?: LocationSpec['type']; target: string }>({
  method: 'put',
  path: '/locations/:id',
  params: schemas.locationIdParams,
  body: schemas.updateLocationBody,
  permission: { name: 'catalog.location.create', resourceRef: async ({ params }, ctx) => locationRefOf(await locationOrNotFound(ctx, params.id)) },
  summary: 'Change a registered location',
  response: { description: 'Updated', schema: componentRef('Location') },
  responses: {
    '403': { description: 'A configured location, a file outside the allowed roots, or the caller may not catalog.location.create' },
    ...notFoundReply('No such location'),
    '409': { description: 'Another location has this target' },
  },
  handler: async ({ params, body, caller }, ctx) => {
    const row = await locationOrNotFound(ctx, params.id);
    if (row.source === 'config') throw configured(row);
    const spec = checkTarget(ctx, { type: body.type ?? 'url', target: body.target });
    const clash = await ctx.locations.findByTarget(spec.type, spec.target);
    if (clash && clash.id !== row.id) throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
    await ctx.db('locations').where({ id: row.id }).update({ type: spec.type, target: spec.target, content_hash: null });
    await ctx.processor.processNow(row.id);
    const updated: Location = { id: row.id, type: spec.type, target: spec.target };
    ctx.audit.record({
      actor: caller,
      action: 'catalog.location.update',
      target: locationRefOf(spec),
      status: 'succeeded',
      before: toLocation(row),
      after: updated,
    });
    return updated;
  },
});

/** DELETE /locations/:id: unregisters a location and removes its entities. */
export const deleteLocation = defineRoute<CatalogRouteServices, IdParams>({
  method: 'delete',
  path: '/locations/:id',
  params: schemas.locationIdParams,
  permission: { name: 'catalog.location.delete', resourceRef: async ({ params }, ctx) => locationRefOf(await locationOrNotFound(ctx, params.id)) },
  summary: 'Unregister a location and remove its entities',
  response: { status: 204, description: 'Removed' },
  responses: { '403': { description: 'A configured location, or the caller may not catalog.location.delete' }, ...notFoundReply('No such location') },
  handler: async ({ params, caller, res }, ctx) => {
    const row = await locationOrNotFound(ctx, params.id);
    if (row.source === 'config') throw configured(row);
    await ctx.processor.removeLocationEntities(row.id);
    await ctx.locations.delete(row.id);
    ctx.audit.record({ actor: caller, action: 'catalog.location.delete', target: locationRefOf(row), status: 'succeeded' });
    res.status(204).end();
  },
});
