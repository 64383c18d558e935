import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** What the host knows about the HTTP request being served, for records made while serving it. */
export interface RequestContext {
  requestId: string;
  clientAddress: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request being served by the current async context, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Gives every request an id (a well-formed incoming `x-request-id`, else a fresh UUID), echoed in
 * the `x-request-id` response header, and keeps it with the client address for the handlers.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('x-request-id', requestId);
  storage.run({ requestId, clientAddress: req.ip ?? req.socket.remoteAddress ?? null }, () => next());
};
