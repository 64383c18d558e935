import os from 'node:os';
import path from 'node:path';
import { coreServices, createCoreServiceRef, type ConfigService } from '@atrium/backend-plugin-api';
import { FileReader } from './fileReader.js';
import { parseGitLocation } from './gitLocation.js';
import { confinePath, globBase } from './paths.js';

/**
 * The readers' settings every plugin shares, from the host-level `backend.reading` section.
 * `catalog.readers.fileRoots` / `catalog.readers.allowPrivateNetworks` are still read as
 * deprecated aliases when the `backend.reading` key is not set.
 */
export interface SourcesSettings {
  /** Local folders file reads are confined to (absolute); empty when none are configured. */
  fileRoots: string[];
  /** Whether file roots were configured (under either key); plugins apply their own defaults when not. */
  fileRootsConfigured: boolean;
  /** The key the roots came from, for messages. */
  fileRootsKey: string;
  /** Whether http(s) and git reads may reach private and loopback addresses. */
  allowPrivateNetworks: boolean;
  /** The key that allows private networks, for refusal messages. */
  privateNetworksKey: string;
  /**
   * Folders (or glob bases) of the `file` locations the operator listed in config
   * (`catalog.locations`): trusted for reading like file roots, without any plugin reading
   * the catalog's section itself.
   */
  configLocationDirs: string[];
  /** Deprecated keys this config uses (the host warns about each once). */
  deprecatedKeys: string[];
}

/** Reading files, URLs and git locations within the configured roots; `ctx` dep `sourcesServiceRef`. */
export interface SourcesService extends SourcesSettings {
  /**
   * This replica's one git cache: bare repositories fetched by any plugin (`<dataDir>/git-cache`).
   * Fetches into it are serialised per repository across threads and processes (GitReader).
   */
  gitCacheDir: string;
  /** A FileReader confined to `fileRoots` plus `extraRoots`. */
  fileReader(maxBytes: number, extraRoots?: readonly string[]): FileReader;
  /** The real path of `target`, refused unless inside `fileRoots` (symlinks followed). */
  confine(target: string): Promise<string>;
  /** The one `<repo>#<ref>[:<path>]` parser. */
  parseGitLocation: typeof parseGitLocation;
}

type ConfigLike = Pick<ConfigService, 'get' | 'baseDirOf'>;

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : undefined);

/** Resolves the settings from the whole config; relative roots resolve against the file that set them. */
export function resolveSourcesSettings(config: ConfigLike): SourcesSettings {
  const deprecatedKeys: string[] = [];
  let fileRootsKey = 'backend.reading.fileRoots';
  let roots = strings(config.get(fileRootsKey));
  if (roots === undefined) {
    const alias = strings(config.get('catalog.readers.fileRoots'));
    if (alias !== undefined) {
      fileRootsKey = 'catalog.readers.fileRoots';
      roots = alias;
      deprecatedKeys.push(fileRootsKey);
    }
  }
  let privateNetworksKey = 'backend.reading.allowPrivateNetworks';
  let allow = config.get(privateNetworksKey);
  if (typeof allow !== 'boolean') {
    const alias = config.get('catalog.readers.allowPrivateNetworks');
    if (typeof alias === 'boolean') {
      allow = alias;
      // `false` is the catalog schema's default: only an explicit `true` counts as using the alias.
      if (alias) {
        privateNetworksKey = 'catalog.readers.allowPrivateNetworks';
        deprecatedKeys.push(privateNetworksKey);
      }
    }
  }
  const rootsDir = roots !== undefined ? config.baseDirOf(fileRootsKey) : '';
  const locations = config.get('catalog.locations');
  const locationsDir = config.baseDirOf('catalog.locations');
  const configLocationDirs = (Array.isArray(locations) ? (locations as Array<{ type?: unknown; target?: unknown }>) : [])
    .filter((l) => l && l.type === 'file' && typeof l.target === 'string')
    .map((l) => globBase(path.resolve(locationsDir, l.target as string)));
  return {
    fileRoots: (roots ?? []).map((r) => path.resolve(rootsDir, r)),
    fileRootsConfigured: roots !== undefined,
    fileRootsKey,
    allowPrivateNetworks: allow === true,
    privateNetworksKey,
    configLocationDirs: [...new Set(configLocationDirs)],
    deprecatedKeys,
  };
}

export function createSourcesService(settings: SourcesSettings, options: { gitCacheDir?: string } = {}): SourcesService {
  return {
    ...settings,
    gitCacheDir: options.gitCacheDir ?? path.join(os.tmpdir(), 'atrium-git-cache'),
    fileReader: (maxBytes, extraRoots = []) => new FileReader([...settings.fileRoots, ...extraRoots], maxBytes),
    confine: (target) => confinePath(settings.fileRoots, target),
    parseGitLocation,
  };
}

/**
 * The shared `sources` service: one per backend, built from the root config. List it in a
 * plugin's `deps` (`deps: { sources: sourcesServiceRef }`); replace it in tests with
 * `createServiceFactory(sourcesServiceRef, () => createSourcesService({...}))`.
 */
export const sourcesServiceRef = createCoreServiceRef<SourcesService, 'root'>({
  id: 'core.sources',
  scope: 'root',
  defaultCreate: async ({ get }) => {
    const settings = resolveSourcesSettings(await get(coreServices.rootConfig));
    if (settings.deprecatedKeys.length > 0) {
      const logger = await get(coreServices.rootLogger);
      for (const key of settings.deprecatedKeys) {
        logger.warn(`${key} is deprecated: move it to backend.reading.${key.slice(key.lastIndexOf('.') + 1)} (one section every plugin reads)`);
      }
    }
    // The host's data directory when the host's services are there; a temp folder for a bare backend.
    const dataDir = await get(coreServices.host).then(
      (host) => host.dataDir,
      () => undefined,
    );
    return createSourcesService(settings, dataDir ? { gitCacheDir: path.join(dataDir, 'git-cache') } : {});
  },
});
