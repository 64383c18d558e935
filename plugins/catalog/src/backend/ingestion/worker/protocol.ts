import type { IngestedEntity, IngestionOptions, LocationReadResult, LocationSpec } from '../types.js';

/** Ingestion options as they cross to a worker: everything but the abort signal. */
export type WorkerIngestionOptions = Omit<IngestionOptions, 'signal'>;

export interface ReadRequest {
  id: number;
  spec: LocationSpec;
  options: WorkerIngestionOptions;
}

/**
 * A worker's answer. A result with many entities comes in parts: `{ id, part }` with the next
 * PART_SIZE entities, each sent only once the main thread asks for it with `{ next: id }`, then
 * `{ id, result }` with the rest. Each part is then taken in its own turn of the main thread's
 * event loop, instead of one long deserialization of a 100,000-entity file.
 */
export type ReadResponse = { id: number; result: LocationReadResult } | { id: number; part: IngestedEntity[] } | { id: number; error: string };

/** Messages to a worker: a read, a cancellation, or a request for the next part of an answer. */
export type WorkerMessage = ReadRequest | { cancel: number } | { next: number };

/** Entities per part of a worker's answer. */
export const PART_SIZE = 2000;
