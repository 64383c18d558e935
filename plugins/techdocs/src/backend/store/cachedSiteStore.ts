import type { EntityTriplet } from '../../common/index.js';
import type { PublishedSite, SiteStore, StoredAsset, StoredDocument } from './SiteStore.js';

export interface SiteCacheOptions {
  /** Total bytes of cached documents and assets. */
  maxBytes: number;
  /** Entries older than this are read again, so a replica that missed an invalidation heals. */
  ttlMs: number;
  /** Assets larger than this are never cached. */
  maxAssetBytes: number;
}

type Entry = { value: StoredDocument | StoredAsset; size: number; at: number; entityRef: string };

/**
 * A read-through cache in front of a SiteStore: a built page is served from memory without a
 * database round trip. Publishing or deleting a site drops its entries here, and `invalidate`
 * is called for sites other replicas published (through the events service); a short TTL
 * bounds staleness if such an event is lost. The store stays the source of truth.
 */
export class CachedSiteStore implements SiteStore {
  readonly kind;
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every invalidation, so a read that raced a publish does not cache the old value. */
  private readonly generations = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly inner: SiteStore,
    private readonly options: SiteCacheOptions,
    private readonly onPublished: (entityRef: string) => void = () => undefined,
  ) {
    this.kind = inner.kind;
  }

  async publish(site: PublishedSite): Promise<void> {
    await this.inner.publish(site);
    this.invalidate(site.entityRef);
    this.onPublished(site.entityRef);
  }

  async delete(entityRef: string, t: EntityTriplet): Promise<void> {
    await this.inner.delete(entityRef, t);
    this.invalidate(entityRef);
    this.onPublished(entityRef);
  }

  /** Drops every cached entry of one site. */
  invalidate(entityRef: string): void {
    this.generations.set(entityRef, (this.generations.get(entityRef) ?? 0) + 1);
    for (const [key, entry] of this.entries) if (entry.entityRef === entityRef) this.drop(key, entry);
  }

  getSite(entityRef: string, t: EntityTriplet): Promise<StoredDocument | undefined> {
    return this.read(`s\0${entityRef}`, entityRef, () => this.inner.getSite(entityRef, t)) as Promise<StoredDocument | undefined>;
  }

  getPage(entityRef: string, t: EntityTriplet, route: string): Promise<StoredDocument | undefined> {
    return this.read(`p\0${entityRef}\0${route}`, entityRef, () => this.inner.getPage(entityRef, t, route)) as Promise<StoredDocument | undefined>;
  }

  getAsset(entityRef: string, t: EntityTriplet, path: string): Promise<StoredAsset | undefined> {
    return this.read(`a\0${entityRef}\0${path}`, entityRef, () => this.inner.getAsset(entityRef, t, path)) as Promise<StoredAsset | undefined>;
  }

  private async read(key: string, entityRef: string, load: () => Promise<StoredDocument | StoredAsset | undefined>) {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.options.ttlMs) {
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, hit);
      return hit.value;
    }
    if (hit) this.drop(key, hit);
    const generation = this.generations.get(entityRef) ?? 0;
    const value = await load();
    if (value === undefined || (this.generations.get(entityRef) ?? 0) !== generation) return value;
    const size = 'body' in value ? value.body.length * 2 : value.content.length;
    if ('content' in value && size > this.options.maxAssetBytes) return value;
    this.entries.set(key, { value, size, at: Date.now(), entityRef });
    this.bytes += size;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.drop(k, e);
    }
    return value;
  }

  private drop(key: string, entry: Entry): void {
    if (this.entries.delete(key)) this.bytes -= entry.size;
  }
}
