import type { IngestionOptions, LocationReadResult, LocationSpec } from '../types.js';

/** Ingestion options as they cross to a worker: everything but the abort signal. */
export type WorkerIngestionOptions = Omit<IngestionOptions, 'signal'>;

export interface ReadRequest {
  id: number;
  spec: LocationSpec;
  options: WorkerIngestionOptions;
}

export type ReadResponse = { id: number; result: LocationReadResult } | { id: number; error: string };
