import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tripletPath, type EntityTriplet } from '../../common/index.js';
import type { PublishedSite, SiteStore, StoredAsset, StoredDocument } from './SiteStore.js';

interface Manifest {
  site: { etag: string };
  pages: Record<string, { file: string; etag: string }>;
  assets: Record<string, { file: string; etag: string; contentType: string }>;
}

/** File name for a page route or asset path: a hash, so no stored name can walk the tree. */
function fileKey(kind: 'p' | 'a', key: string): string {
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/**
 * Sites as files under `techdocs.storage.directory`: `<namespace>/<kind>/<name>/` (lower case,
 * Backstage's layout) with `site.json`, `manifest.json` and one file per page and asset.
 * Publishing writes a new folder and swaps it in with renames.
 */
export class DirectorySiteStore implements SiteStore {
  readonly kind = 'directory' as const;
  private readonly manifests = new Map<string, { stamp: string; manifest: Manifest }>();

  constructor(private readonly root: string) {}

  private dirOf(t: EntityTriplet): string {
    const rel = tripletPath(t);
    if (rel.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new Error(`Invalid entity path ${rel}`);
    return path.join(this.root, ...rel.split('/'));
  }

  async publish(site: PublishedSite): Promise<void> {
    const target = this.dirOf(site.triplet);
    const suffix = randomBytes(6).toString('hex');
    const tmp = `${target}.tmp-${suffix}`;
    await fs.mkdir(tmp, { recursive: true });
    try {
      const manifest: Manifest = { site: { etag: site.site.etag }, pages: {}, assets: {} };
      await fs.writeFile(path.join(tmp, 'site.json'), site.site.body);
      for (const p of site.pages) {
        const file = `${fileKey('p', p.route)}.json`;
        await fs.writeFile(path.join(tmp, file), p.body);
        manifest.pages[p.route] = { file, etag: p.etag };
      }
      for (const a of site.assets) {
        const file = fileKey('a', a.path);
        await fs.writeFile(path.join(tmp, file), a.content);
        manifest.assets[a.path] = { file, etag: a.etag, contentType: a.contentType };
      }
      await fs.writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest));
      const old = `${target}.old-${suffix}`;
      const hadOld = await fs.rename(target, old).then(
        () => true,
        () => false,
      );
      await fs.rename(tmp, target);
      if (hadOld) await fs.rm(old, { recursive: true, force: true });
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  private async manifest(t: EntityTriplet): Promise<{ dir: string; manifest: Manifest } | undefined> {
    const dir = this.dirOf(t);
    const file = path.join(dir, 'manifest.json');
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) return undefined;
    const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    const cached = this.manifests.get(dir);
    if (cached && cached.stamp === stamp) return { dir, manifest: cached.manifest };
    const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as Manifest;
    this.manifests.set(dir, { stamp, manifest });
    return { dir, manifest };
  }

  async getSite(_ref: string, t: EntityTriplet): Promise<StoredDocument | undefined> {
    const m = await this.manifest(t);
    if (!m) return undefined;
    const body = await fs.readFile(path.join(m.dir, 'site.json'), 'utf8').catch(() => undefined);
    return body === undefined ? undefined : { body, etag: m.manifest.site.etag };
  }

  async getPage(_ref: string, t: EntityTriplet, route: string): Promise<StoredDocument | undefined> {
    const m = await this.manifest(t);
    const entry = m && Object.prototype.hasOwnProperty.call(m.manifest.pages, route) ? m.manifest.pages[route] : undefined;
    if (!m || !entry) return undefined;
    const body = await fs.readFile(path.join(m.dir, entry.file), 'utf8').catch(() => undefined);
    return body === undefined ? undefined : { body, etag: entry.etag };
  }

  async getAsset(_ref: string, t: EntityTriplet, assetPath: string): Promise<StoredAsset | undefined> {
    const m = await this.manifest(t);
    const entry = m && Object.prototype.hasOwnProperty.call(m.manifest.assets, assetPath) ? m.manifest.assets[assetPath] : undefined;
    if (!m || !entry) return undefined;
    const content = await fs.readFile(path.join(m.dir, entry.file)).catch(() => undefined);
    return content === undefined ? undefined : { content, contentType: entry.contentType, etag: entry.etag };
  }

  async delete(_ref: string, t: EntityTriplet): Promise<void> {
    const dir = this.dirOf(t);
    this.manifests.delete(dir);
    await fs.rm(dir, { recursive: true, force: true });
  }
}
