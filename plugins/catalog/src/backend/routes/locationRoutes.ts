import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotAllowedError, NotFoundError, validateInput } from '@atrium/backend-plugin-api';
import { stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { Router } from 'express';
import type { AddLocationResponse, Location } from '../../common/index.js';
import type { CatalogContext } from '../catalogContext.js';
import { isUnderRoots } from '../config.js';
import { locationRefOf, type LocationSpec } from '../ingestion/index.js';
import { notFound } from '../query/entityLookup.js';
import { toLocation } from '../store/locationsStore.js';
import { entityNameOf } from './entityRoutes.js';
import * as schemas from './schemas.js';

/** Registered locations: list, look up, register (with dry run), update, unregister. */
export function registerLocationRoutes(router: Router, ctx: CatalogContext): void {
  const { locations, processor } = ctx;

  router.get('/locations', async (_req, res) => {
    const all = await locations.list();
    res.json(all.map((row) => ({ data: toLocation(row) })));
  });

  router.post('/locations/by-query', async (req, res) => {
    const b = validateInput<{ limit?: number; query?: object; cursor?: string }>(schemas.queryLocationsBody, req.body ?? {}, 'body');
    let limit = b.limit ?? 1000;
    let afterId: string | undefined;
    let query = b.query;
    if (b.cursor) {
      try {
        const c = JSON.parse(Buffer.from(b.cursor, 'base64').toString('utf8')) as { limit: number; afterId: string; query?: object };
        if (typeof c.limit !== 'number' || typeof c.afterId !== 'string') throw new Error('bad');
        ({ limit, afterId, query } = { limit: b.limit ?? c.limit, afterId: c.afterId, query: c.query });
      } catch {
        throw new InputError('Malformed cursor: it is not one this server handed out');
      }
    }
    const all = (await locations.list()).map(toLocation).filter((l) => matchesLocationQuery(l, query)).sort((a, b) => a.id.localeCompare(b.id));
    const start = afterId ? all.filter((l) => l.id > afterId!) : all;
    const items = start.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      start.length > limit && last ? Buffer.from(JSON.stringify({ limit, afterId: last.id, ...(query ? { query } : {}) })).toString('base64') : undefined;
    res.json({ items, totalItems: all.length, pageInfo: nextCursor ? { nextCursor } : {} });
  });

  router.get('/locations/by-entity/:kind/:namespace/:name', async (req, res) => {
    const { kind, namespace, name } = entityNameOf(req);
    const record = await ctx.lookup.byRef(stringifyEntityRef({ kind, namespace, name }));
    if (!record) throw notFound(kind, namespace, name);
    const row = record.location_id ? await locations.get(record.location_id) : undefined;
    if (!row) throw new NotFoundError(`No location found for entity ${record.entity_ref}; it is not provided by any location (orphaned)`);
    res.json(toLocation(row));
  });

  router.get('/locations/:id', async (req, res) => {
    const row = await locations.get(String(req.params.id));
    if (!row) throw new NotFoundError(`Found no location with ID ${req.params.id}`);
    res.json(toLocation(row));
  });

  /** Atrium: how the last read of a location went (errors, conflicts, entity count). */
  router.get('/locations/:id/status', async (req, res) => {
    const row = await locations.get(String(req.params.id));
    if (!row) throw new NotFoundError(`Found no location with ID ${req.params.id}`);
    res.json(await locations.status(row));
  });

  router.post('/locations', async (req, res) => {
    const q = validateInput<{ dryRun?: 'true' | 'false'; onConflict?: 'reject' | 'refresh' }>(schemas.addLocationQuery, { ...req.query }, 'query');
    const body = validateInput<{ type: LocationSpec['type']; target: string; presence?: 'required' | 'optional' }>(schemas.addLocationBody, req.body, 'body');
    const spec = checkTarget(ctx, body);
    const existing = await locations.findByTarget(spec.type, spec.target);
    if (q.dryRun === 'true') {
      const tree = await processor.readTree(spec);
      const problems = tree.errors.filter((e) => e.kind !== 'conflict');
      if (problems.length > 0) {
        throw new InputError(`Location ${locationRefOf(spec)} has problems: ${problems.slice(0, 10).map((e) => `${e.message}${e.file ? ` (${e.file}${e.line ? `:${e.line}` : ''})` : ''}`).join('; ')}`, { errors: problems });
      }
      const entities = tree.items.filter((i) => i.entity).map((i) => i.entity as Entity);
      const body: AddLocationResponse = { location: existing ? toLocation(existing) : { id: randomUUID(), type: spec.type, target: spec.target }, entities, exists: Boolean(existing) };
      res.status(201).json(body);
      return;
    }
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'catalog.location.create' });
    let row = existing;
    if (existing) {
      if (q.onConflict !== 'refresh') throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
      await locations.requestRefresh(existing.id);
    } else {
      row = await locations.insertRegistered({ ...spec, presence: spec.presence ?? 'required' });
      if (!row) throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
    }
    await processor.processNow(row!.id);
    ctx.audit.record({ actor: caller, action: 'catalog.location.create', target: locationRefOf(spec), status: 'succeeded' });
    const response: AddLocationResponse = { location: toLocation(row!), entities: await processor.entitiesOfLocation(row!.id) };
    res.status(201).json(response);
  });

  router.put('/locations/:id', async (req, res) => {
    const body = validateInput<{ type?: LocationSpec['type']; target: string }>(schemas.updateLocationBody, req.body, 'body');
    const row = await locations.get(String(req.params.id));
    if (!row) throw new NotFoundError(`Found no location with ID ${req.params.id}`);
    if (row.source === 'config') throw configured(row);
    const spec = checkTarget(ctx, { type: body.type ?? 'url', target: body.target });
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'catalog.location.create' });
    const clash = await locations.findByTarget(spec.type, spec.target);
    if (clash && clash.id !== row.id) throw new ConflictError(`Location ${locationRefOf(spec)} already exists`);
    await ctx.db('locations').where({ id: row.id }).update({ type: spec.type, target: spec.target, content_hash: null });
    await processor.processNow(row.id);
    res.status(200).json({ id: row.id, type: spec.type, target: spec.target } satisfies Location);
  });

  router.delete('/locations/:id', async (req, res) => {
    const row = await locations.get(String(req.params.id));
    if (!row) throw new NotFoundError(`Found no location with ID ${req.params.id}`);
    if (row.source === 'config') throw configured(row);
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'catalog.location.delete', resourceRef: locationRefOf(row) });
    await processor.removeLocationEntities(row.id);
    await locations.delete(row.id);
    ctx.audit.record({ actor: caller, action: 'catalog.location.delete', target: locationRefOf(row), status: 'succeeded' });
    res.status(204).end();
  });
}

function configured(row: { type: string; target: string }): NotAllowedError {
  return new NotAllowedError(
    `Location ${row.type}:${row.target} is defined in the catalog.locations config; change the config file to remove or change it`,
  );
}

/**
 * Normalises a target and refuses what may not be registered through the API: relative or
 * out-of-root file paths (only `backend.reading.fileRoots` may be read) and non-http URLs.
 */
export function checkTarget(ctx: CatalogContext, spec: { type: LocationSpec['type']; target: string; presence?: 'required' | 'optional' }): LocationSpec {
  const target = spec.target.trim();
  if (target.includes('\u0000')) throw new InputError('location.target must not contain a NUL character');
  if (spec.type === 'file') {
    if (!path.isAbsolute(target)) throw new InputError(`File location target must be an absolute path, got "${target}"`);
    const roots = ctx.settings.fileRoots;
    if (!isUnderRoots(target, roots)) {
      throw new NotAllowedError(
        roots.length === 0
          ? `File location ${target} cannot be registered: no directory may be read (backend.reading.fileRoots is empty); add its directory to backend.reading.fileRoots to allow it`
          : `File location ${target} is outside the allowed roots (${roots.join(', ')}); add its directory to backend.reading.fileRoots to allow it`,
      );
    }
    return { type: 'file', target: path.resolve(target), ...(spec.presence ? { presence: spec.presence } : {}) };
  }
  if (spec.type === 'url') {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new InputError(`The given location.target is not a URL: "${target}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`URL locations must use http or https, got "${target}"`);
  }
  return { type: spec.type, target, ...(spec.presence ? { presence: spec.presence } : {}) };
}

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
      if (typeof op.$hasPrefix === 'string') return String(actual ?? '').toLowerCase().startsWith(op.$hasPrefix.toLowerCase());
      throw new InputError(`Invalid query: unsupported operator for locations field ${key}`);
    }
    return String(actual ?? '').toLowerCase() === String(expected).toLowerCase();
  });
}
