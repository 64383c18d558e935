import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets the event loop run (timers, HTTP requests) before the next statement of a long job.
 *
 * The embedded database (PGlite) runs each statement synchronously on the main thread, and a
 * chain of awaited statements only ever resolves promises: without a real turn of the event
 * loop in between, a bulk load would hold up every HTTP request (even /healthz) until it ends.
 * A turn costs microseconds, so it is taken between every batch on any database.
 */
export function breathe(): Promise<void> {
  return nextTurn();
}
