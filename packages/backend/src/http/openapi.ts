import type { BackendPlugin } from '@atrium/backend-plugin-api';

/** One OpenAPI document: each plugin's paths under `/api/<id>`, plus the host's own endpoints. */
export function mergeOpenApi(plugins: BackendPlugin[], version: string): Record<string, unknown> {
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
  for (const plugin of plugins) {
    const fragment = plugin.openapi;
    if (!fragment) continue;
    for (const [p, item] of Object.entries(fragment.paths ?? {})) paths[`/api/${plugin.id}${p}`] = item;
    for (const [name, schema] of Object.entries(fragment.components?.schemas ?? {})) schemas[name] = schema;
    tags.push(...(fragment.tags ?? [{ name: plugin.id }]));
  }
  return { openapi: '3.0.3', info: { title: 'Atrium API', version }, tags, paths, components: { schemas } };
}
