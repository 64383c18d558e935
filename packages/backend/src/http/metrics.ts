import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const HOST_ENDPOINTS: Record<string, string> = {
  '/healthz': 'healthz',
  '/readyz': 'readyz',
  '/metrics': 'metrics',
  '/api/openapi.json': 'openapi',
};

/**
 * What served a request, as metric labels: `plugin` is an installed plugin's id (empty for the
 * host), `endpoint` names the host endpoint (`healthz`, `readyz`, `metrics`, `openapi`, `app`
 * for the web app, `unknown-api` for an /api path no plugin owns) or is `api` for a plugin route.
 * Only known values are used, so arbitrary paths cannot create new series.
 */
export function requestLabels(req: Pick<Request, 'originalUrl'>, pluginIds: ReadonlySet<string>): { plugin: string; endpoint: string } {
  const url = req.originalUrl;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const host = HOST_ENDPOINTS[path];
  if (host) return { plugin: '', endpoint: host };
  const m = /^\/api\/([^/]+)/.exec(path);
  if (m && pluginIds.has(m[1]!)) return { plugin: m[1]!, endpoint: 'api' };
  if (path === '/api' || path.startsWith('/api/')) return { plugin: '', endpoint: 'unknown-api' };
  return { plugin: '', endpoint: 'app' };
}

/** Prometheus metrics for the host: process defaults plus request durations by plugin and endpoint. */
export function createMetrics(pluginIds: readonly string[]) {
  const ids = new Set(pluginIds);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'atrium_' });
  const httpDuration = new Histogram({
    name: 'atrium_http_request_duration_seconds',
    help: 'HTTP request duration by plugin (empty for the host), endpoint, method and status code',
    labelNames: ['plugin', 'endpoint', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const { plugin, endpoint } = requestLabels(req, ids);
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'other';
      httpDuration.observe({ plugin, endpoint, method, status: res.statusCode }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
  return { registry, middleware };
}
