import { defineRoute, InputError } from '@atrium/backend-plugin-api';
import { stringifyEntityRef } from '@atrium/catalog-model';
import { loadTemplate, parameterSchema, withSourceFieldOrder } from '../templates.js';
import type { ScaffolderRouteServices } from './services.js';

interface TemplateNameParams {
  namespace: string;
  kind: string;
  name: string;
}

const nameParams = {
  type: 'object',
  required: ['namespace', 'kind', 'name'],
  properties: {
    namespace: { type: 'string', minLength: 1 },
    kind: { type: 'string', minLength: 1, description: 'template' },
    name: { type: 'string', minLength: 1 },
  },
};

/** GET /v2/templates/:namespace/:kind/:name/parameter-schema: reading the Template entity, so `catalog.entity.read` on it. */
export const getParameterSchema = defineRoute<ScaffolderRouteServices, TemplateNameParams>({
  method: 'get',
  path: '/v2/templates/:namespace/:kind/:name/parameter-schema',
  params: nameParams,
  permission: { name: 'catalog.entity.read', resourceRef: ({ params }) => stringifyEntityRef(params) },
  summary: "A template's form pages",
  response: { description: 'Parameter schema', schema: { type: 'object' } },
  responses: { '404': { description: 'Template not found' } },
  handler: async ({ params }, { catalog, runner }) => {
    const { namespace, kind, name } = params;
    if (kind.toLowerCase() !== 'template') throw new InputError(`Kind must be template, got ${kind}`);
    const template = await loadTemplate(catalog, stringifyEntityRef({ kind, namespace, name }));
    return parameterSchema(await withSourceFieldOrder(template, (location) => runner.readTemplateSource(location)));
  },
});
