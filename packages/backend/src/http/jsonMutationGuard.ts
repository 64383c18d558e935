import { HttpError } from '@atrium/backend-plugin-api';
import type { RequestHandler } from 'express';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** `application/json` or a `+json` type such as `application/merge-patch+json`. */
export function isJsonContentType(header: string | undefined): boolean {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type);
}

/**
 * Every POST, PUT and PATCH under /api must say `Content-Type: application/json`, even without
 * a body. A page on another site can send a form or a `fetch(..., { mode: 'no-cors' })` POST
 * only with a form or text content type, so this refuses every cross-site "simple" request (a
 * bodyless task cancel, a scorecard sweep) before a plugin sees it. A JSON content type from
 * another origin needs a CORS preflight, which this server never grants. DELETE cannot be sent
 * cross-site without a preflight either; a DELETE that carries a body must be JSON too.
 */
export const jsonMutationGuard: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  const needsJson = BODY_METHODS.has(req.method) || (req.method === 'DELETE' && hasBody);
  if (!needsJson || isJsonContentType(req.headers['content-type'])) return next();
  const given = req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'none';
  next(
    new HttpError(
      'UnsupportedMediaTypeError',
      415,
      `${req.method} requests to the API must have Content-Type: application/json (even without a body); got ${given}.`,
    ),
  );
};
