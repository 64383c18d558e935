import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { FileReader, GitReader, ReadError, UrlReader } from '@atrium/source-readers';
import { parseGitTarget, type Place } from '../locations.js';
import type { IngestionOptions, LocationSpec } from '../types.js';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** The three readers behind one door, configured once per readLocation call. */
export class SourceReaders {
  readonly files: FileReader;
  private readonly urls: UrlReader;
  private readonly git: GitReader;

  constructor(options: IngestionOptions) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const allowPrivateNetworks = options.allowPrivateNetworks ?? false;
    this.files = new FileReader(options.fileRoots, maxBytes);
    const privateNetworksKey = 'backend.reading.allowPrivateNetworks';
    this.urls = new UrlReader({
      allowPrivateNetworks,
      privateNetworksKey,
      maxBytes,
      timeoutMs: options.urlTimeoutMs ?? 10_000,
      ...(options.allowedUrlHosts ? { allowedHosts: options.allowedUrlHosts } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    this.git = new GitReader({
      allowPrivateNetworks,
      privateNetworksKey,
      maxBytes,
      files: this.files,
      cacheDir: options.gitCacheDir ?? path.join(os.tmpdir(), 'atrium-git-cache'),
      timeoutMs: options.gitTimeoutMs ?? 60_000,
      fetchTtlMs: options.gitFetchTtlMs ?? 30_000,
      ...(options.allowedUrlHosts ? { allowedHosts: options.allowedUrlHosts } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** The files a location names (a glob may name none), and the git commit if any. */
  async expand(spec: LocationSpec): Promise<{ places: Place[]; revision?: string }> {
    switch (spec.type) {
      case 'file': {
        if (!path.isAbsolute(spec.target)) {
          throw new ReadError('read', `File location ${JSON.stringify(spec.target)} must be an absolute path`);
        }
        const paths = await this.files.list(spec.target);
        return { places: paths.map((p) => ({ type: 'file', path: p })) };
      }
      case 'url': {
        let url: URL;
        try {
          url = new URL(spec.target);
        } catch {
          throw new ReadError('read', `URL location ${JSON.stringify(spec.target)} is not a valid URL`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new ReadError('security', `URL location ${JSON.stringify(spec.target)}: only http and https URLs can be read`);
        }
        return { places: [{ type: 'url', url: url.href }] };
      }
      case 'git': {
        const target = parseGitTarget(spec.target);
        const tree = await this.git.open(target.repo, target.ref);
        const scan = picomatch.scan(target.path);
        let paths = [target.path];
        if (scan.isGlob) {
          const matches = picomatch(target.path);
          paths = (await tree.list()).filter((p) => matches(p)).sort();
        }
        return { places: paths.map((p) => ({ type: 'git', repo: target.repo, ref: target.ref, path: p })), revision: tree.commit };
      }
      default:
        throw new ReadError('read', `Location type ${JSON.stringify((spec as { type: unknown }).type)} is not supported; use file, url or git`);
    }
  }

  async read(place: Place): Promise<Buffer> {
    switch (place.type) {
      case 'file':
        return this.files.read(place.path);
      case 'url':
        return (await this.urls.read(place.url)).content;
      case 'git':
        return (await this.git.open(place.repo, place.ref)).read(place.path);
    }
  }
}
