import path from 'node:path';
import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import type { Entity } from '@atrium/catalog-model';
import type { AnalyzeLocationResponse } from '../../common/index.js';
import type { LocationSpec } from '../ingestion/index.js';
import { checkTarget } from './locationTarget.js';
import * as schemas from './schemas.js';
import type { CatalogRouteServices } from './services.js';

interface AnalyzeBody {
  location: { type?: string; target: string };
  catalogFilename?: string;
  catalogFileName?: string;
}

/**
 * POST /analyze-location: what registering a location would find (its entity files) or, when it
 * holds none, a Component to generate with the fields the user still has to fill in.
 */
export const analyzeLocation = defineRoute<CatalogRouteServices, Record<string, string>, Record<string, unknown>, AnalyzeBody>({
  method: 'post',
  path: '/analyze-location',
  body: schemas.analyzeLocationBody,
  permission: 'catalog.location.analyze',
  summary: 'What registering a location would find or generate',
  response: { description: 'Analysis: existingEntityFiles, or generateEntities' },
  handler: async ({ body }, ctx) => {
    const type = (body.location.type ?? 'url') as LocationSpec['type'];
    if (!['url', 'file', 'git'].includes(type)) throw new InputError(`Unsupported location type "${type}"; use url, file or git`);
    const filename = body.catalogFilename ?? body.catalogFileName ?? 'catalog-info.yaml';
    let target = body.location.target.trim();
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
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: suggestName(body.location.target) },
            spec: { type: 'other', lifecycle: 'unknown' },
          },
          fields: [
            { field: 'spec.owner', state: 'needsUserInput', value: null, description: 'Entity owner: the group or user responsible for it' },
            {
              field: 'metadata.name',
              state: 'analysisSuggestedValue',
              value: suggestName(body.location.target),
              description: 'Entity name, taken from the location',
            },
          ],
        },
      ];
    }
    return response;
  },
});

/** A valid entity name from the last meaningful segment of a URL or path. */
function suggestName(target: string): string {
  const segments = target
    .replace(/\.git$/, '')
    .split(/[/\\#:]+/)
    .filter((s) => s && !/\.ya?ml$/i.test(s) && !['blob', 'tree', 'main', 'master', 'HEAD'].includes(s));
  const raw = segments[segments.length - 1] ?? 'component';
  const name = raw
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63);
  return name || 'component';
}
