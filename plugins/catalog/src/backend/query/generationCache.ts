import type { GenerationClock } from './generationClock.js';

/**
 * Results of expensive aggregate queries (entity facets) kept until the catalog changes: each
 * entry remembers the generation it was computed at, and a request first asks the clock for the
 * current generation (see GenerationClock: at most one tiny query a second) to decide whether the
 * entry still holds. A change on any replica advances the generation. Least recently used entries
 * go first once `maxEntries` is reached.
 */
export class GenerationCache<T> {
  private readonly entries = new Map<string, { generation: string; value: T }>();

  constructor(
    private readonly clock: GenerationClock,
    private readonly maxEntries = 200,
  ) {}

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const generation = await this.clock.current();
    const hit = this.entries.get(key);
    this.entries.delete(key);
    if (hit && hit.generation === generation) {
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = await compute();
    this.entries.set(key, { generation, value });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
