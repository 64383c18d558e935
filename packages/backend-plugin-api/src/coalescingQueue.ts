import type { WorkloadService } from './workload.js';

/**
 * Follows a stream of changes by key without being flooded by it: each key is kept once (its last
 * value wins), and one worker takes them out in batches of at most `batchSize`, one batch at a
 * time. A plugin reacting to catalog changes uses it so that a bulk ingest of 100,000 entities
 * costs it a few hundred batched reads and writes, not 100,000 concurrent ones competing with
 * the ingest for database connections.
 *
 * A batch that throws is put back (keys changed meanwhile keep their newer value) and retried
 * after `retryMs`; `idle()` resolves once nothing is queued or running.
 */
export class CoalescingQueue<V> {
  private readonly pending = new Map<string, V>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly process: (batch: Map<string, V>) => Promise<void>,
    private readonly options: {
      batchSize?: number;
      retryMs?: number;
      onError?: (error: unknown, keys: number) => void;
      /** Bulk work to let finish first (see WorkloadService): each batch waits for it, at most `maxWaitMs`. */
      yieldTo?: Pick<WorkloadService, 'whenIdle'>;
      /** How long a batch waits for bulk work that reports no progress (default 10 s; see WorkloadService.whenIdle). */
      maxWaitMs?: number;
    } = {},
  ) {}

  /** Queues a key (replacing a value still waiting for it) and makes sure a worker runs. */
  add(key: string, value: V): void {
    if (this.stopped) return;
    this.pending.set(key, value);
    this.running ??= this.drain();
  }

  /** How many keys wait. */
  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is queued and no batch is running. */
  idle(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops what waits; a running batch finishes. */
  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }

  private async drain(): Promise<void> {
    const size = Math.max(1, this.options.batchSize ?? 500);
    try {
      // Changes made in the same turn (an ingest's batch of events) go into one batch.
      await new Promise((r) => setImmediate(r));
      while (this.pending.size > 0 && !this.stopped) {
        // Keys keep coalescing while bulk work (an ingest) runs: fewer, fuller batches after it.
        if (this.options.yieldTo) await this.options.yieldTo.whenIdle(this.options.maxWaitMs);
        if (this.stopped) break;
        const batch = new Map<string, V>();
        for (const [key, value] of this.pending) {
          batch.set(key, value);
          this.pending.delete(key);
          if (batch.size >= size) break;
        }
        try {
          await this.process(batch);
        } catch (e) {
          this.options.onError?.(e, batch.size);
          for (const [key, value] of batch) if (!this.pending.has(key)) this.pending.set(key, value);
          await new Promise((r) => setTimeout(r, this.options.retryMs ?? 1000).unref());
        }
        // Let the work that produces the changes (an ingest) run between batches.
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = undefined;
      if (this.pending.size > 0 && !this.stopped) this.running = this.drain();
      else {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    }
  }
}
