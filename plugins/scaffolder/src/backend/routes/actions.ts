import { defineRoute } from '@atrium/backend-plugin-api';
import { templateFilters } from '../templating/filters.js';
import type { ScaffolderRouteServices } from './services.js';

export const ACTION_READ = 'scaffolder.action.read';

/** GET /v2/actions: the installed actions with their input/output JSON Schemas. */
export const listActions = defineRoute<ScaffolderRouteServices>({
  method: 'get',
  path: '/v2/actions',
  permission: ACTION_READ,
  summary: 'Installed actions with their input/output JSON Schemas',
  response: { description: 'Actions', schema: { type: 'array' } },
  handler: (_request, { registry }) => registry.list(),
});

/** GET /v2/templating-extensions: the filters and globals templates may use. */
export const listTemplatingExtensions = defineRoute<ScaffolderRouteServices>({
  method: 'get',
  path: '/v2/templating-extensions',
  permission: ACTION_READ,
  summary: 'Template filters and globals',
  response: { description: 'Extensions', schema: { type: 'object' } },
  handler: () => ({
    filters: Object.fromEntries(Object.keys(templateFilters).map((k) => [k, {}])),
    globals: { functions: { range: {} }, values: {} },
  }),
});
