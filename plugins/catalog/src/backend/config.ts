import path from 'node:path';
import type { JsonSchema } from '@atrium/backend-plugin-api';
import { globBase, isPathInside, type SourcesSettings } from '@atrium/source-readers';
import type { CustomKindDefinition } from '@atrium/catalog-model';
import type { CatalogRule, IngestionOptions, LocationSpec } from './ingestion/index.js';

const ruleSchema: JsonSchema = {
  type: 'object',
  required: ['allow'],
  additionalProperties: false,
  properties: {
    allow: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            required: ['kind'],
            additionalProperties: false,
            properties: { kind: { type: 'string', minLength: 1 }, 'spec.type': { type: 'string' } },
          },
        ],
      },
    },
  },
};

/** JSON Schema of the `catalog:` config section, in Backstage's shape where Backstage has one. */
export const catalogConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    locations: {
      type: 'array',
      default: [],
      description: 'Static locations, read at start and on every refresh. File targets are relative to the config file.',
      items: {
        type: 'object',
        required: ['type', 'target'],
        additionalProperties: false,
        properties: {
          type: { enum: ['file', 'url', 'git'] },
          target: { type: 'string', minLength: 1 },
          presence: { enum: ['required', 'optional'] },
          rules: { type: 'array', items: ruleSchema },
        },
      },
    },
    rules: {
      type: 'array',
      items: ruleSchema,
      description: 'Kinds locations may produce. When absent every kind is allowed.',
    },
    kinds: {
      type: 'array',
      default: [],
      description: 'Custom kinds: { apiVersion, kind, specSchema, relations? }.',
      items: { type: 'object' },
    },
    orphanStrategy: { enum: ['delete', 'keep'], default: 'delete' },
    refreshIntervalSeconds: { type: 'number', minimum: 1, default: 120 },
    /** How often a busy replica looks for locations due for refresh and entities due for stitching (an idle one backs off to 8×). */
    processingPollMs: { type: 'number', minimum: 10, default: 1000 },
    /** Worker threads that read and parse locations; 0 parses on the main thread. */
    readWorkers: { type: 'integer', minimum: 0, maximum: 16, default: 1 },
    /** How long a replica's claim on a location lasts without its heartbeat (renewed every third of it). */
    locationLeaseSeconds: { type: 'number', minimum: 2, maximum: 3600, default: 30 },
    readers: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        allowPrivateNetworks: { type: 'boolean', default: false },
        /** No default here: when absent, the defaults depend on the database (see defaultFileRoots). */
        fileRoots: { type: 'array', items: { type: 'string', minLength: 1 } },
        maxBytes: { type: 'number', minimum: 1 },
        urlTimeoutMs: { type: 'number', minimum: 1 },
      },
    },
  },
};

export interface RawCatalogConfig {
  locations: Array<{ type: LocationSpec['type']; target: string; presence?: 'required' | 'optional'; rules?: CatalogRule[] }>;
  rules?: CatalogRule[];
  kinds: CustomKindDefinition[];
  orphanStrategy: 'delete' | 'keep';
  refreshIntervalSeconds: number;
  processingPollMs: number;
  readWorkers?: number;
  locationLeaseSeconds?: number;
  readers: { allowPrivateNetworks: boolean; fileRoots?: string[]; maxBytes?: number; urlTimeoutMs?: number };
}

/** What the catalog's defaults depend on, from the host. */
export interface HostFacts {
  /** The writable data directory (`backend.dataDir`). */
  dataDir: string;
  /** True on the embedded database: one process on one machine, a laptop install. */
  embeddedDatabase: boolean;
  /** The user's home directory (default os.homedir()). */
  homeDir: string;
}

/** A location named in config, with its file target made absolute. */
export interface StaticLocation {
  type: LocationSpec['type'];
  target: string;
  presence: 'required' | 'optional';
  rules?: CatalogRule[];
}

/** The catalog's settings after relative paths are resolved. */
export interface CatalogSettings {
  staticLocations: StaticLocation[];
  rules?: CatalogRule[];
  customKinds: CustomKindDefinition[];
  orphanStrategy: 'delete' | 'keep';
  refreshIntervalSeconds: number;
  processingPollMs: number;
  /** Worker threads reading and parsing locations (0: the main thread does it). */
  readWorkers: number;
  /** Seconds a claim on a location lasts without being renewed. */
  locationLeaseSeconds: number;
  /** Roots API-registered file locations must stay under. */
  fileRoots: string[];
  /** True when fileRoots are the built-in defaults (neither backend.reading.fileRoots nor catalog.readers.fileRoots is set). */
  fileRootsDefaulted: boolean;
  /** Where cached bare git repositories are kept: the replica's shared cache, `<dataDir>/git-cache` (sources service). */
  gitCacheDir: string;
  /** Roots static locations may read under: fileRoots plus the directories config names them from. */
  staticFileRoots: string[];
  readers: Pick<IngestionOptions, 'allowPrivateNetworks' | 'maxBytes' | 'urlTimeoutMs'>;
}

/**
 * Resolves relative paths in the config section against the files that set them. `sources` (the
 * shared sources service: `backend.reading`, with `catalog.readers.*` as its deprecated alias)
 * decides the file roots and private-network access when given.
 */
export function resolveCatalogSettings(
  raw: RawCatalogConfig,
  baseDirOf: (keyPath: string) => string,
  host: HostFacts,
  sources?: Pick<SourcesSettings, 'fileRoots' | 'fileRootsConfigured' | 'allowPrivateNetworks'> & { gitCacheDir?: string },
): CatalogSettings {
  const locationsDir = baseDirOf('catalog.locations');
  const rootsDir = baseDirOf('catalog.readers.fileRoots');
  const configured = sources ? (sources.fileRootsConfigured ? sources.fileRoots : undefined) : raw.readers?.fileRoots?.map((r) => path.resolve(rootsDir, r));
  const fileRoots = configured ?? defaultFileRoots(rootsDir, host);
  const staticLocations: StaticLocation[] = (raw.locations ?? []).map((l) => ({
    type: l.type,
    target: l.type === 'file' ? path.resolve(locationsDir, l.target) : l.target,
    presence: l.presence ?? 'required',
    ...(l.rules ? { rules: l.rules } : {}),
  }));
  const staticDirs = staticLocations.filter((l) => l.type === 'file').map((l) => globBase(l.target));
  const staticFileRoots = [...new Set([...fileRoots, ...(staticLocations.some((l) => l.type === 'file') ? [locationsDir] : []), ...staticDirs])];
  return {
    staticLocations,
    ...(raw.rules ? { rules: raw.rules } : {}),
    customKinds: raw.kinds ?? [],
    orphanStrategy: raw.orphanStrategy ?? 'delete',
    refreshIntervalSeconds: raw.refreshIntervalSeconds ?? 120,
    processingPollMs: raw.processingPollMs ?? 1000,
    readWorkers: raw.readWorkers ?? 1,
    locationLeaseSeconds: raw.locationLeaseSeconds ?? 30,
    fileRoots,
    fileRootsDefaulted: !configured,
    gitCacheDir: sources?.gitCacheDir ?? path.join(host.dataDir, 'git-cache'),
    staticFileRoots,
    readers: {
      allowPrivateNetworks: sources ? sources.allowPrivateNetworks : (raw.readers?.allowPrivateNetworks ?? false),
      ...(raw.readers?.maxBytes ? { maxBytes: raw.readers.maxBytes } : {}),
      ...(raw.readers?.urlTimeoutMs ? { urlTimeoutMs: raw.readers.urlTimeoutMs } : {}),
    },
  };
}

/**
 * `catalog.readers.fileRoots` when it is not set. On the embedded database (a laptop install:
 * one process, its owner at the keyboard) a user may register files under the project
 * directory (where the config file is), their home directory and `<dataDir>/repos` (where the
 * scaffolder publishes). On a Postgres server (a deployment) nothing: roots must be named.
 * The filesystem root itself is never a default root.
 */
export function defaultFileRoots(projectDir: string, host: HostFacts): string[] {
  if (!host.embeddedDatabase) return [];
  const candidates = [projectDir, host.homeDir, path.join(host.dataDir, 'repos')];
  const roots = candidates.filter((d) => d && path.isAbsolute(d) && path.resolve(d) !== path.parse(path.resolve(d)).root).map((d) => path.resolve(d));
  return [...new Set(roots)];
}

/** The directory part of a path or glob before its first wildcard segment (shared with the sources service). */
export { globBase };

/** True when `target` (absolute) lies under one of `roots`. */
export function isUnderRoots(target: string, roots: string[]): boolean {
  const base = path.resolve(globBase(target));
  const normalized = path.resolve(target);
  return roots.some((root) => isPathInside(root, normalized) && isPathInside(root, base));
}
