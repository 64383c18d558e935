import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs several middlewares as one: the same behaviour as listing them in `app.use(...)`, without
 * an Express layer (path match, URL trimming and restore) for each. The host's per-request checks
 * run on every API call, so at thousands of requests a second their layers were a measurable
 * part of the cost. An error passed to `next`, thrown, or rejected by an async middleware ends the
 * chain and goes to Express's error handlers.
 */
export function chain(handlers: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null && err !== 'route' && err !== 'router') return next(err);
      if (err === 'route' || err === 'router') return next();
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        const result = handler(req, res, step) as unknown;
        if (result instanceof Promise) result.catch((e: unknown) => next(e));
      } catch (e) {
        next(e);
      }
    };
    step();
  };
}
