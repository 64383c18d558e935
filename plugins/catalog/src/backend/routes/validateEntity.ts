import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import { applyEntityDefaults, parseLocationRef, type Entity } from '@atrium/catalog-model';
import * as schemas from './schemas.js';
import type { CatalogRouteServices } from './services.js';

/**
 * POST /validate-entity: checks an entity as ingestion would (entity checks of other plugins
 * included), storing nothing. 200 with an empty body when valid; 400 `{ errors: [{ name, message, field? }] }` (Backstage's shape) when not.
 */
export const validateEntity = defineRoute<CatalogRouteServices, Record<string, string>, Record<string, unknown>, { entity: unknown; location: string }>({
  method: 'post',
  path: '/validate-entity',
  body: schemas.validateEntityBody,
  permission: 'catalog.entity.validate',
  summary: 'Validate an entity without storing it',
  response: { description: 'Valid (empty body)' },
  handler: async ({ body, res }, { validator, checks }) => {
    try {
      parseLocationRef(body.location);
    } catch (e) {
      throw new InputError(`Invalid location ref: ${(e as Error).message}`);
    }
    const entity = body.entity as Entity;
    const withDefaults = entity && typeof entity === 'object' && entity.metadata && typeof entity.metadata === 'object' ? applyEntityDefaults(entity) : entity;
    const result = validator.validate(withDefaults);
    if (result.ok) {
      // Then the checks plugins add (a Template's steps, say), as when the catalog reads it.
      const problems = await checks.run(withDefaults, { source: { url: body.location, locationRef: body.location, line: 1, column: 1 } });
      if (problems.length === 0) {
        res.status(200).end();
        return;
      }
      res.status(400).json({ errors: problems.map((p) => ({ name: 'InputError', message: p.message, ...(p.field ? { field: p.field } : {}) })) });
      return;
    }
    res.status(400).json({
      errors: result.errors.map((issue) => ({ name: 'InputError', message: issue.message, ...(issue.path ? { field: issue.path } : {}) })),
    });
  },
});
