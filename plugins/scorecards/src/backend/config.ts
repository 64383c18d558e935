import path from 'node:path';
import type { Entity } from '@atrium/catalog-model';
import type { JsonSchema } from '@atrium/backend-plugin-api';
import type { CatalogService } from '@atrium/plugin-catalog/backend';
import { SCORECARD_API_VERSION, type RawDefinition } from './definitions.js';
import { refOf } from './facts/builtins.js';

/** JSON Schema of the `scorecards:` config section. Definitions themselves are checked by loadDefinitions. */
export const scorecardsConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    evaluationIntervalSeconds: { type: 'number', minimum: 1, default: 1800 },
    /** Scorecards defined in config (each a Scorecard spec plus `id`), next to Scorecard entities. */
    definitions: { type: 'array', default: [], items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    initiatives: { type: 'array', default: [], items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    /** Pause between two batches of changed entities while changes keep arriving (an ingest): the ingest goes first and more changes coalesce. */
    eventBatchMs: { type: 'number', minimum: 0, default: 200 },
    git: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: true },
        /** Where fetched repositories are cached: a folder inside backend.dataDir (relative paths resolve against it). Default: the replica's shared git cache. */
        cacheDir: { type: 'string', minLength: 1 },
        allowPrivateNetworks: { type: 'boolean', default: false },
      },
    },
    notifications: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        webhookUrl: { type: 'string', format: 'uri' },
        webhookTimeoutMs: { type: 'number', minimum: 1, default: 5000 },
        deadlineReminderDays: { type: 'array', items: { type: 'number', minimum: 0 }, default: [14, 7, 1] },
      },
    },
  },
};

export interface ScorecardsConfig {
  evaluationIntervalSeconds: number;
  definitions: Array<Record<string, unknown> & { id: string }>;
  initiatives: Array<Record<string, unknown> & { id: string }>;
  eventBatchMs: number;
  git: { enabled: boolean; cacheDir?: string; allowPrivateNetworks: boolean };
  notifications: { webhookUrl?: string; webhookTimeoutMs: number; deadlineReminderDays: number[] };
}

export const SCORECARD_KIND = 'Scorecard';
export const INITIATIVE_KIND = 'Initiative';

/**
 * Custom kinds to declare in `catalog.kinds` so the catalog accepts Scorecard and Initiative
 * entities. The spec schema is permissive on purpose: scorecards validates specs itself and
 * reports errors with scorecard, rule and reason.
 */
export const scorecardKinds = [
  { apiVersion: SCORECARD_API_VERSION, kind: SCORECARD_KIND, specSchema: { type: 'object' } },
  { apiVersion: SCORECARD_API_VERSION, kind: INITIATIVE_KIND, specSchema: { type: 'object' } },
];

/**
 * The git cache directory: `scorecards.git.cacheDir` resolved against the data directory, which it
 * must stay inside (every path the plugin keeps on disk lives under `backend.dataDir`).
 */
export function resolveGitCacheDir(dataDir: string, cacheDir: string): string {
  const resolved = path.resolve(dataDir, cacheDir);
  const relative = path.relative(dataDir, resolved);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`scorecards.git.cacheDir must be a folder inside the data directory (backend.dataDir, ${dataDir}), but it resolves to ${resolved}`);
  }
  return resolved;
}

/** Relation types custom kinds declare (`catalog.kinds[].relations[].type` and `.inverse`). */
export function customRelationTypes(catalogConfig: unknown): string[] {
  const kinds = (catalogConfig as { kinds?: unknown } | undefined)?.kinds;
  if (!Array.isArray(kinds)) return [];
  const types = new Set<string>();
  for (const k of kinds) {
    const relations = (k as { relations?: unknown } | null)?.relations;
    if (!Array.isArray(relations)) continue;
    for (const r of relations) {
      for (const t of [(r as { type?: unknown } | null)?.type, (r as { inverse?: unknown } | null)?.inverse]) if (typeof t === 'string' && t) types.add(t);
    }
  }
  return [...types];
}

/** Scorecards and initiatives from config and from the catalog (config first, so it wins on duplicate ids). */
export async function readRawDefinitions(
  config: ScorecardsConfig,
  catalog: CatalogService,
): Promise<{ scorecards: RawDefinition[]; initiatives: RawDefinition[] }> {
  const fromConfig = (items: Array<Record<string, unknown> & { id: string }>, key: string) =>
    items.map(({ id, ...spec }, i) => ({ id, source: `app-config ${key}[${i}]`, spec }));
  const { items } = await catalog.getEntities({ filter: { kind: [SCORECARD_KIND, INITIATIVE_KIND], apiVersion: SCORECARD_API_VERSION } });
  const fromCatalog = (kind: string) =>
    items
      .filter((e: Entity) => e.kind.toLowerCase() === kind.toLowerCase())
      .sort((a, b) => refOf(a).localeCompare(refOf(b)))
      .map((e) => ({ id: e.metadata.name, source: refOf(e), spec: { title: e.metadata.title, description: e.metadata.description, ...(e.spec ?? {}) } }));
  return {
    scorecards: [...fromConfig(config.definitions, 'scorecards.definitions'), ...fromCatalog(SCORECARD_KIND)],
    initiatives: [...fromConfig(config.initiatives, 'scorecards.initiatives'), ...fromCatalog(INITIATIVE_KIND)],
  };
}
