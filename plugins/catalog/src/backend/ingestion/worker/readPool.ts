import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fs from 'node:fs';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { IngestedEntity, IngestionOptions, LocationReadResult, LocationSpec } from '../types.js';
import type { ReadRequest, ReadResponse, WorkerMessage } from './protocol.js';

/**
 * Worker limits with the embedded database: an 8 MB young generation. By default V8 let a read
 * worker's young generation grow to its maximum while it parsed the bench corpus; with the
 * embedded database in the same process, peak RSS of a first 10k ingest fell from 613-660 to
 * 564-598 MiB (bench/RESULTS.md, session 14). With a Postgres server the default stays: there the
 * smaller young generation made the read ~0.9 s slower, and both cores are busy.
 */
export const EMBEDDED_READ_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8 };

interface Pending {
  /** Entities of the answer received so far in parts (see ReadResponse). */
  parts: IngestedEntity[][];
  resolve: (result: LocationReadResult) => void;
  reject: (error: Error) => void;
  worker: Slot;
  cleanup: () => void;
}

interface Slot {
  worker: Worker | undefined;
  busy: number;
  index: number;
}

/**
 * Reads locations on worker threads: parsing and validating YAML is the CPU-heavy part of
 * ingestion, and on the main thread it would hold up HTTP requests and the database writes
 * of the batch before. Requests go to the least busy worker; a worker that dies fails its
 * requests (the location is retried on its next refresh) and is replaced on the next read.
 * Each worker keeps its git clones in its own cache subdirectory, so no two threads ever
 * fetch into one repository at the same time.
 */
export class ReadPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /**
   * `resourceLimits` of each worker: with the embedded database the catalog gives its workers a
   * small young generation (EMBEDDED_READ_LIMITS), so parsing a large tree holds less memory.
   */
  constructor(
    size: number,
    private readonly resourceLimits: ResourceLimits = {},
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, (_, index) => ({ worker: undefined, busy: 0, index }));
  }

  read(spec: LocationSpec, options: IngestionOptions): Promise<LocationReadResult> {
    if (this.closed) return Promise.reject(new Error('the catalog read pool is closed'));
    const { signal, ...rest } = options;
    if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const worker = this.workerOf(slot);
    const id = this.nextId++;
    const request: ReadRequest = {
      id,
      spec,
      options: rest,
    };
    return new Promise<LocationReadResult>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ cancel: id });
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.busy++;
      this.pending.set(id, {
        parts: [],
        resolve,
        reject,
        worker: slot,
        cleanup: () => {
          slot.busy--;
          signal?.removeEventListener('abort', onAbort);
        },
      });
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
    this.failAll(undefined, new Error('the catalog read pool was closed'));
  }

  private workerOf(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const worker = startWorker(this.resourceLimits);
    worker.unref();
    worker.on('message', (response: ReadResponse) => {
      const entry = this.pending.get(response.id);
      if (!entry) return;
      if ('part' in response) {
        // Ask for the next part only now: each arrives in a turn of its own.
        entry.parts.push(response.part);
        worker.postMessage({ next: response.id } satisfies WorkerMessage);
        return;
      }
      this.pending.delete(response.id);
      entry.cleanup();
      if ('error' in response) entry.reject(new Error(response.error));
      else if (entry.parts.length === 0) entry.resolve(response.result);
      else entry.resolve({ ...response.result, entities: [...entry.parts.flat(), ...response.result.entities] });
    });
    const lost = (error: Error) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      this.failAll(slot, error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`a catalog read worker exited (code ${code})`)));
    slot.worker = worker;
    return worker;
  }

  private failAll(slot: Slot | undefined, error: Error): void {
    for (const [id, entry] of this.pending) {
      if (slot && entry.worker !== slot) continue;
      this.pending.delete(id);
      entry.cleanup();
      entry.reject(error);
    }
  }
}

/**
 * Built code runs readWorker.js directly. From TypeScript sources (tests, `npm run dev`) the
 * worker first registers tsx, which Node does not apply to worker threads by itself.
 */
function startWorker(resourceLimits: ResourceLimits): Worker {
  const compiled = new URL('./readWorker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(compiled))) return new Worker(compiled, { resourceLimits });
  const source = new URL('./readWorker.ts', import.meta.url).href;
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/index\.cjs$/, 'index.mjs'),
  ).href;
  const code = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { execArgv: ['--conditions=source'], resourceLimits });
}
