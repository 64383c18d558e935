import type { Db } from '../store/sql.js';
import { currentGeneration, onGenerationAdvanced } from '../store/generation.js';

/** How long a generation read from the database is trusted without reading it again. */
export const GENERATION_MAX_AGE_MS = 1000;

/**
 * The catalog's generation as this replica knows it, so cached aggregates (facets, totals) can be
 * served without a database round trip per request. The value read from the database is trusted
 * for `maxAgeMs`; it is forgotten at once when this process advances the generation (a change made
 * here is never answered from an older cache) and when `invalidate()` is called (the catalog calls
 * it on every entity change event, which other replicas' changes arrive as). A change made on
 * another replica is therefore seen as soon as its event arrives, and within `maxAgeMs` at worst.
 * Concurrent readers share one query.
 */
export class GenerationClock {
  private known: { value: string; at: number } | undefined;
  private reading: { epoch: number; promise: Promise<string> } | undefined;
  private epoch = 0;

  constructor(
    private readonly db: Db,
    private readonly maxAgeMs = GENERATION_MAX_AGE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    onGenerationAdvanced(db, () => this.invalidate());
  }

  /** Forgets the known generation: the next `current()` reads it from the database. */
  invalidate(): void {
    this.epoch++;
    this.known = undefined;
    this.reading = undefined;
  }

  current(): Promise<string> {
    const known = this.known;
    if (known && this.now() - known.at < this.maxAgeMs) return Promise.resolve(known.value);
    if (this.reading && this.reading.epoch === this.epoch) return this.reading.promise;
    const epoch = this.epoch;
    const startedAt = this.now();
    const promise = currentGeneration(this.db).then(
      (value) => {
        // A value read across an invalidation may predate the change: used once, never kept.
        if (this.epoch === epoch) {
          this.known = { value, at: startedAt };
          this.reading = undefined;
        }
        return value;
      },
      (e: unknown) => {
        if (this.reading?.promise === promise) this.reading = undefined;
        throw e;
      },
    );
    this.reading = { epoch, promise };
    return promise;
  }
}
