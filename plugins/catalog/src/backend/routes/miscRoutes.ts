import path from 'node:path';
import { InputError, NotFoundError, validateInput } from '@atrium/backend-plugin-api';
import { applyEntityDefaults, parseEntityRef, parseLocationRef, stringifyEntityRef, type Entity } from '@atrium/catalog-model';
import type { Router } from 'express';
import type { AnalyzeLocationResponse } from '../../common/index.js';
import type { CatalogContext } from '../catalogContext.js';
import { parseFilterParams } from '../filters/parseFilter.js';
import { parsePredicate } from '../filters/parsePredicate.js';
import type { LocationSpec } from '../ingestion/index.js';
import { markForStitch } from '../store/entityWriter.js';
import { checkTarget } from './locationRoutes.js';
import * as schemas from './schemas.js';

/** Facets, refresh, entity validation and location analysis. */
export function registerMiscRoutes(router: Router, ctx: CatalogContext): void {
  router.get('/entity-facets', async (req, res) => {
    const q = validateInput<{ facet: string | string[]; filter?: string | string[] }>(schemas.facetsQuery, { ...req.query }, 'query');
    const facets = (Array.isArray(q.facet) ? q.facet : [q.facet]).filter((f) => f.trim() !== '');
    if (facets.length === 0) throw new InputError('Invalid request query: facet must name at least one field, e.g. facet=kind');
    res.json({ facets: await ctx.aggregates.facets(facets, parseFilterParams(q.filter)) });
  });

  router.post('/entity-facets', async (req, res) => {
    const b = validateInput<{ facets: string[]; query?: object }>(schemas.facetsBody, req.body, 'body');
    res.json({ facets: await ctx.aggregates.facets(b.facets, b.query !== undefined ? parsePredicate(b.query) : undefined) });
  });

  router.post('/refresh', async (req, res) => {
    const b = validateInput<{ entityRef: string }>(schemas.refreshBody, req.body, 'body');
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(b.entityRef));
    } catch (e) {
      throw new InputError(`Invalid entityRef: ${(e as Error).message}`);
    }
    const caller = await ctx.auth.getCaller(req);
    await ctx.permissions.assert(caller, { permission: 'catalog.entity.refresh', resourceRef: ref });
    const record = await ctx.lookup.byRef(ref);
    if (!record) throw new NotFoundError(`Entity ${ref} is not in the catalog`);
    if (record.location_id) {
      await ctx.locations.requestRefresh(record.location_id);
      await ctx.processor.processNow(record.location_id);
    } else {
      await markForStitch(ctx.db, [ref]);
      await ctx.processor.stitch({ settle: true });
    }
    res.status(200).end();
  });

  router.post('/validate-entity', async (req, res) => {
    const b = validateInput<{ entity: unknown; location: string }>(schemas.validateEntityBody, req.body, 'body');
    try {
      parseLocationRef(b.location);
    } catch (e) {
      throw new InputError(`Invalid location ref: ${(e as Error).message}`);
    }
    const entity = b.entity as Entity;
    const withDefaults =
      entity && typeof entity === 'object' && entity.metadata && typeof entity.metadata === 'object' ? applyEntityDefaults(entity) : entity;
    const result = ctx.validator.validate(withDefaults);
    if (result.ok) {
      res.status(200).end();
      return;
    }
    res.status(400).json({
      errors: result.errors.map((issue) => ({ name: 'InputError', message: issue.message, ...(issue.path ? { field: issue.path } : {}) })),
    });
  });

  router.post('/analyze-location', async (req, res) => {
    const b = validateInput<{ location: { type?: string; target: string }; catalogFilename?: string; catalogFileName?: string }>(
      schemas.analyzeLocationBody,
      req.body,
      'body',
    );
    const type = (b.location.type ?? 'url') as LocationSpec['type'];
    if (!['url', 'file', 'git'].includes(type)) throw new InputError(`Unsupported location type "${type}"; use url, file or git`);
    const filename = b.catalogFilename ?? b.catalogFileName ?? 'catalog-info.yaml';
    let target = b.location.target.trim();
    if (type === 'url') {
      try {
        new URL(target);
      } catch {
        throw new InputError('The given location.target is not a URL');
      }
      if (!/\.ya?ml$/i.test(new URL(target).pathname)) target = `${target.replace(/\/+$/, '')}/${filename}`;
    } else if (type === 'file' && !/\.ya?ml$/i.test(target)) {
      target = path.join(target, filename);
    }
    const spec = checkTarget(ctx, { type, target, presence: 'optional' });
    const tree = await ctx.processor.readTree(spec);
    const security = tree.errors.find((e) => e.kind === 'security');
    if (security) throw new InputError(security.message);
    const registered = await ctx.locations.findByTarget(spec.type, spec.target);
    const found = tree.items.filter((i) => i.entity && i.parentRef !== null).map((i) => i.entity as Entity);
    const response: AnalyzeLocationResponse = { existingEntityFiles: [], generateEntities: [] };
    if (found.length > 0) {
      response.existingEntityFiles = found.map((entity) => ({ entity, isRegistered: Boolean(registered), location: { type: spec.type, target: spec.target } }));
    } else {
      response.generateEntities = [
        {
          entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: suggestName(b.location.target) }, spec: { type: 'other', lifecycle: 'unknown' } },
          fields: [
            { field: 'spec.owner', state: 'needsUserInput', value: null, description: 'Entity owner: the group or user responsible for it' },
            { field: 'metadata.name', state: 'analysisSuggestedValue', value: suggestName(b.location.target), description: 'Entity name, taken from the location' },
          ],
        },
      ];
    }
    res.status(200).json(response);
  });
}

/** A valid entity name from the last meaningful segment of a URL or path. */
function suggestName(target: string): string {
  const segments = target.replace(/\.git$/, '').split(/[/\\#:]+/).filter((s) => s && !/\.ya?ml$/i.test(s) && !['blob', 'tree', 'main', 'master', 'HEAD'].includes(s));
  const raw = segments[segments.length - 1] ?? 'component';
  const name = raw.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '').slice(0, 63);
  return name || 'component';
}

