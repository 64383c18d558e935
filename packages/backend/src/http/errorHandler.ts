import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { isHttpError, NotFoundError, type ErrorResponseBody, type Logger } from '@atrium/backend-plugin-api';

function body(req: Request, statusCode: number, name: string, message: string, details?: unknown): ErrorResponseBody {
  return {
    error: details === undefined ? { name, message } : { name, message, details },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode },
  };
}

/** Any /api route nobody answered: a JSON 404 rather than the app's HTML. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${req.originalUrl}`));
};

/** Turns thrown errors into the JSON error shape with a correct status. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (isHttpError(err)) {
      res.status(err.statusCode).json(body(req, err.statusCode, err.name, err.message, err.details));
      return;
    }
    // body-parser errors carry `type` and `status`.
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json(body(req, 400, 'InputError', `Malformed JSON in request body: ${e.message}`));
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json(body(req, 413, 'PayloadTooLargeError', 'Request body is larger than the allowed limit'));
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json(body(req, e.status, 'InputError', e.message ?? 'Bad request'));
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in request');
    res.status(500).json(body(req, 500, 'Error', 'Internal server error'));
  };
}
