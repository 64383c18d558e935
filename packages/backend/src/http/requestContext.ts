import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** What the host knows about the HTTP request being served, for records made while serving it. */
export interface RequestContext {
  requestId: string;
  clientAddress: string | null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Kept beside the objects rather than in AsyncLocalStorage: on Node 20 an AsyncLocalStorage in use
// installs promise hooks that slow every promise in the process (measured: a promise-heavy loop
// 2.5× slower), which cost the catalog's read API 10–20 % of its throughput under load.
const byRequest = new WeakMap<object, RequestContext>();
const byCaller = new WeakMap<object, RequestContext>();

/** The context of a request the host has seen (`requestContext` ran on it). */
export function requestContextOf(req: object): RequestContext | undefined {
  return byRequest.get(req);
}

/**
 * Ties a caller object made for one request to that request, so a record naming the caller as its
 * actor (an audit record) carries the request's id and client address. The caller object must be
 * the request's own (not shared between requests).
 */
export function bindCallerToRequest(caller: object, req: object): void {
  const context = byRequest.get(req);
  if (context) byCaller.set(caller, context);
}

/** The request a caller was identified from, if it was (see bindCallerToRequest). */
export function requestContextOfCaller(caller: object): RequestContext | undefined {
  return byCaller.get(caller);
}

/**
 * Gives every request an id (a well-formed incoming `x-request-id`, else a fresh UUID), echoed in
 * the `x-request-id` response header, and keeps it with the client address for the handlers.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  byRequest.set(req, {
    requestId,
    // Worked out only when a record asks (X-Forwarded-For parsing is per request otherwise).
    get clientAddress() {
      return req.ip ?? req.socket.remoteAddress ?? null;
    },
  });
  next();
};
