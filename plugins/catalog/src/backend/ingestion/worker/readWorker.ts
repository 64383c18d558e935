import { parentPort } from 'node:worker_threads';
import { readLocation } from '../readLocation.js';
import type { LocationReadResult } from '../types.js';
import { PART_SIZE, type ReadRequest, type ReadResponse, type WorkerMessage } from './protocol.js';

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
/** Answers being sent in parts, with how many entities have gone. */
const outgoing = new Map<number, { result: LocationReadResult; sent: number }>();

/** Sends the next part of an answer, or its last message. */
function sendNext(id: number): void {
  const entry = outgoing.get(id);
  if (!entry) return;
  const { result, sent } = entry;
  if (result.entities.length - sent > PART_SIZE) {
    entry.sent += PART_SIZE;
    port!.postMessage({ id, part: result.entities.slice(sent, sent + PART_SIZE) } satisfies ReadResponse);
    return;
  }
  outgoing.delete(id);
  port!.postMessage({ id, result: sent === 0 ? result : { ...result, entities: result.entities.slice(sent) } } satisfies ReadResponse);
}

port.on('message', (message: WorkerMessage) => {
  if ('cancel' in message) {
    aborts.get(message.cancel)?.abort();
    // Cancelled while its answer was being sent: end it, so the reader does not wait for the rest.
    if (outgoing.delete(message.cancel)) port.postMessage({ id: message.cancel, error: 'the read was cancelled' } satisfies ReadResponse);
    return;
  }
  if ('next' in message) {
    sendNext(message.next);
    return;
  }
  const abort = new AbortController();
  aborts.set(message.id, abort);
  readLocation(message.spec, { ...message.options, customKinds: canonicalKinds(message.options.customKinds), signal: abort.signal }).then(
    (result) => {
      aborts.delete(message.id);
      outgoing.set(message.id, { result, sent: 0 });
      sendNext(message.id);
    },
    (error: unknown) => {
      aborts.delete(message.id);
      port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies ReadResponse);
    },
  );
});
