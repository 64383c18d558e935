/**
 * A small per-replica cache: answers are fresh for `ttlMs`, one load per key runs at a time
 * (concurrent callers share it), failures are not kept (nor values `keep` refuses, which also
 * drop the key's older value), and the oldest entries go first once `maxEntries` is reached.
 * `now` is injectable so tests never wait on the clock.
 */
export class FreshCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly loading = new Map<string, Promise<V>>();

  constructor(private readonly options: { ttlMs: number; maxEntries: number; keep?: (value: V) => boolean; now?: () => number }) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The fresh value of `key`, else the result of `load` (stored). With `refresh`, always loads. */
  async get(key: string, load: () => Promise<V>, refresh = false): Promise<V> {
    const hit = this.entries.get(key);
    if (!refresh && hit && this.now() - hit.at < this.options.ttlMs) return hit.value;
    const running = this.loading.get(key);
    if (running) return running;
    const promise = load()
      .then((value) => {
        this.entries.delete(key);
        if (this.options.keep && !this.options.keep(value)) return value;
        this.entries.set(key, { value, at: this.now() });
        while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }
}

/** Bounded key → value memory (ETags and the answers they validate), oldest dropped first. */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly maxEntries: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }
}
