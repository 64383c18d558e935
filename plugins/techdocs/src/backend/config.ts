import path from 'node:path';
import type { JsonSchema } from '@atrium/backend-plugin-api';
import type { SourcesSettings } from '@atrium/source-readers';
import { DEFAULT_LIMITS, type BuildLimits } from './build/types.js';

/** JSON Schema of the `techdocs:` config section. */
export const techdocsConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    allowedRoots: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description:
        "Local folders docs may be read from (dir: refs of file locations). Default: the sources service's roots (backend.reading.fileRoots and the folders of file locations listed in config) and the folder of the main config file.",
    },
    storage: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        type: { enum: ['database', 'directory'], default: 'database' },
        directory: {
          type: 'string',
          minLength: 1,
          description: 'Where sites are written when type is directory; relative to the config file. Default <backend.dataDir>/techdocs/sites.',
        },
      },
    },
    refreshIntervalSeconds: {
      type: 'number',
      minimum: 5,
      default: 600,
      description: "How often every site's source is checked for changes (unchanged sources are skipped by hash).",
    },
    builder: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 8, default: 1 },
        pollIntervalMs: { type: 'integer', minimum: 50, default: 2000 },
        timeoutSeconds: { type: 'integer', minimum: 5, default: 600 },
        maxPageBytes: { type: 'integer', minimum: 1024 },
        maxAssetBytes: { type: 'integer', minimum: 1024 },
        maxSiteBytes: { type: 'integer', minimum: 1024 },
        maxPages: { type: 'integer', minimum: 1 },
        pageRenderTimeoutSeconds: {
          type: 'integer',
          minimum: 1,
          description: 'Time one page may take to render; a slower page is stopped and fails alone with an error in the build log. Default 15.',
        },
      },
    },
    git: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        cacheDir: {
          type: 'string',
          minLength: 1,
          description:
            'Where fetched repositories are cached (one bare repository per URL). Default: the shared git cache of the replica (<backend.dataDir>/git-cache); a relative path is resolved against backend.dataDir.',
        },
        allowPrivateNetworks: { type: 'boolean', default: false },
        timeoutSeconds: { type: 'integer', minimum: 1, default: 120 },
      },
    },
    sanitizer: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        allowedIframeHosts: { type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
      },
    },
  },
};

export interface RawTechdocsConfig {
  allowedRoots?: string[];
  storage?: { type?: 'database' | 'directory'; directory?: string };
  refreshIntervalSeconds?: number;
  builder?: { concurrency?: number; pollIntervalMs?: number; timeoutSeconds?: number; pageRenderTimeoutSeconds?: number } & Partial<
    Pick<BuildLimits, 'maxPageBytes' | 'maxAssetBytes' | 'maxSiteBytes' | 'maxPages'>
  >;
  git?: { cacheDir?: string; allowPrivateNetworks?: boolean; timeoutSeconds?: number };
  sanitizer?: { allowedIframeHosts?: string[] };
}

export interface TechdocsSettings {
  allowedRoots: string[];
  storage: { type: 'database' } | { type: 'directory'; directory: string };
  refreshIntervalSeconds: number;
  concurrency: number;
  pollIntervalMs: number;
  timeoutSeconds: number;
  limits: BuildLimits;
  git: { cacheDir: string; allowPrivateNetworks: boolean; timeoutMs: number };
  allowedIframeHosts: string[];
}

/**
 * Resolves the section's paths: folders the plugin writes (the git cache, directory storage)
 * default to `dataDir` (the host's writable `backend.dataDir`), never the working directory or
 * the OS temp folder.
 */
export function resolveTechdocsSettings(
  raw: RawTechdocsConfig,
  sources: Pick<SourcesSettings, 'fileRoots' | 'configLocationDirs'> & { gitCacheDir?: string },
  baseDirOf: (keyPath: string) => string,
  dataDir: string,
): TechdocsSettings {
  let allowedRoots: string[];
  if (raw.allowedRoots && raw.allowedRoots.length > 0) {
    const dir = baseDirOf('techdocs.allowedRoots');
    allowedRoots = raw.allowedRoots.map((r) => path.resolve(dir, r));
  } else {
    // From the shared sources service (backend.reading), never from another plugin's section.
    allowedRoots = [...new Set([...sources.configLocationDirs, ...sources.fileRoots, baseDirOf('app')])];
  }
  const storage: TechdocsSettings['storage'] =
    raw.storage?.type === 'directory'
      ? {
          type: 'directory',
          directory: raw.storage.directory
            ? path.resolve(baseDirOf('techdocs.storage.directory'), raw.storage.directory)
            : path.join(dataDir, 'techdocs', 'sites'),
        }
      : { type: 'database' };
  const b = raw.builder ?? {};
  return {
    allowedRoots,
    storage,
    refreshIntervalSeconds: raw.refreshIntervalSeconds ?? 600,
    concurrency: b.concurrency ?? 1,
    pollIntervalMs: b.pollIntervalMs ?? 2000,
    timeoutSeconds: b.timeoutSeconds ?? 600,
    limits: {
      ...DEFAULT_LIMITS,
      ...(b.maxPageBytes ? { maxPageBytes: b.maxPageBytes } : {}),
      ...(b.maxAssetBytes ? { maxAssetBytes: b.maxAssetBytes } : {}),
      ...(b.maxSiteBytes ? { maxSiteBytes: b.maxSiteBytes } : {}),
      ...(b.maxPages ? { maxPages: b.maxPages } : {}),
      ...(b.pageRenderTimeoutSeconds ? { pageRenderMs: b.pageRenderTimeoutSeconds * 1000 } : {}),
    },
    git: {
      cacheDir: raw.git?.cacheDir ? path.resolve(dataDir, raw.git.cacheDir) : (sources.gitCacheDir ?? path.join(dataDir, 'git-cache')),
      allowPrivateNetworks: raw.git?.allowPrivateNetworks ?? false,
      timeoutMs: (raw.git?.timeoutSeconds ?? 120) * 1000,
    },
    allowedIframeHosts: raw.sanitizer?.allowedIframeHosts ?? [],
  };
}
