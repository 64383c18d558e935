import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for the host: process defaults plus request durations by plugin. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'atrium_' });
  const httpDuration = new Histogram({
    name: 'atrium_http_request_duration_seconds',
    help: 'HTTP request duration by plugin, method and status code',
    labelNames: ['plugin', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const m = /^\/api\/([^/?]+)/.exec(req.originalUrl);
      end({ plugin: m?.[1] ?? (req.originalUrl.startsWith('/api') ? 'api' : 'app'), method: req.method, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, middleware };
}
