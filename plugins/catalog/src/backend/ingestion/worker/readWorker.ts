import { parentPort } from 'node:worker_threads';
import { readLocation } from '../readLocation.js';
import type { ReadRequest, ReadResponse } from './protocol.js';

/**
 * The body of a read worker thread: reads (and parses, validates) one location per request,
 * so YAML parsing never blocks the thread that serves HTTP and writes to the database.
 */
const port = parentPort;
if (!port) throw new Error('readWorker.js must run in a worker thread');
const aborts = new Map<number, AbortController>();
// readLocation caches compiled validators per custom-kind list object; every message brings a
// fresh copy of the list, so hand it the first equal one instead.
const kindLists = new Map<string, NonNullable<ReadRequest['options']['customKinds']>>();
function canonicalKinds(kinds: ReadRequest['options']['customKinds']) {
  if (!kinds) return kinds;
  const key = JSON.stringify(kinds);
  let known = kindLists.get(key);
  if (!known) kindLists.set(key, (known = kinds));
  return known;
}
port.on('message', (message: ReadRequest | { cancel: number }) => {
  if ('cancel' in message) {
    aborts.get(message.cancel)?.abort();
    return;
  }
  const abort = new AbortController();
  aborts.set(message.id, abort);
  readLocation(message.spec, { ...message.options, customKinds: canonicalKinds(message.options.customKinds), signal: abort.signal })
    .then(
      (result): ReadResponse => ({ id: message.id, result }),
      (error: unknown): ReadResponse => ({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
    )
    .then((response) => {
      aborts.delete(message.id);
      port.postMessage(response);
    });
});
