import { routesOpenApi, type BackendPlugin, type OpenApiFragment } from '@atrium/backend-plugin-api';
import { toOpenApi30Document } from './openapi30.js';

export { toOpenApi30Schema } from './openapi30.js';

/**
 * One OpenAPI 3.0.3 document: each plugin's paths under `/api/<id>`, plus the host's own
 * endpoints. Plugins write their schemas as the JSON Schema Ajv checks; they are converted to
 * the 3.0 dialect here (see openapi30.ts).
 */
export function mergeOpenApi(
  plugins: BackendPlugin[],
  version: string,
  /** The host's own routers (e.g. `/api/auth`), paths relative to their mount. */
  hostApis: ReadonlyArray<{ mount: string; fragment: OpenApiFragment }> = [],
): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/healthz': { get: { summary: 'Liveness probe', tags: ['host'], responses: { '200': { description: 'The process is alive' } } } },
    '/readyz': {
      get: {
        summary: 'Readiness probe: every plugin started and healthy',
        tags: ['host'],
        responses: { '200': { description: 'Ready' }, '503': { description: 'Starting, or a plugin failed' } },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', tags: ['host'], responses: { '200': { description: 'Prometheus text format' } } } },
  };
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object',
      required: ['error', 'request', 'response'],
      properties: {
        error: { type: 'object', properties: { name: { type: 'string' }, message: { type: 'string' } } },
        request: { type: 'object', properties: { method: { type: 'string' }, url: { type: 'string' } } },
        response: { type: 'object', properties: { statusCode: { type: 'integer' } } },
      },
    },
  };
  const tags: Array<{ name: string; description?: string }> = [{ name: 'host', description: 'Health, readiness and metrics' }];
  for (const { mount, fragment } of hostApis) {
    for (const [p, item] of Object.entries(fragment.paths ?? {})) paths[`${mount}${p}`] = structuredClone(item);
    for (const [name, schema] of Object.entries(fragment.components?.schemas ?? {})) schemas[name] = structuredClone(schema);
    tags.push(...(fragment.tags ?? []));
  }
  for (const plugin of plugins) {
    const fragment = plugin.openapi ?? (plugin.routes ? {} : undefined);
    if (!fragment) continue;
    // A copy: the conversion below must not change the schemas plugins validate with.
    for (const [p, item] of Object.entries(fragment.paths ?? {})) paths[`/api/${plugin.id}${p}`] = structuredClone(item);
    // Declared routes: their operations come from the same schemas their handlers validate with.
    const declared = routesOpenApi(plugin.routes ?? [], { tag: fragment.tags?.[0]?.name ?? plugin.id });
    for (const [p, item] of Object.entries(declared.paths ?? {})) {
      const key = `/api/${plugin.id}${p}`;
      paths[key] = { ...(paths[key] as Record<string, unknown> | undefined), ...structuredClone(item as Record<string, unknown>) };
    }
    for (const [name, schema] of Object.entries(fragment.components?.schemas ?? {})) schemas[name] = structuredClone(schema);
    tags.push(...(fragment.tags ?? [{ name: plugin.id }]));
  }
  return toOpenApi30Document({ openapi: '3.0.3', info: { title: 'Atrium API', version }, tags, paths, components: { schemas } });
}
