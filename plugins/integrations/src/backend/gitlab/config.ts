import { createAjv, toFieldErrors, type JsonSchema } from '@atrium/backend-plugin-api';

/** `integrations.discovery.gitlab[]`: one group (and its subgroups) to discover on one GitLab host. */
export interface GitLabDiscoveryConfig {
  /** Names the target in location keys, status and the provider name (default `<host>/<group>`). */
  id?: string;
  host: string;
  /** Full path of the group, e.g. `acme` or `acme/platform`. */
  group: string;
  /** Path of the descriptor in each project, read from its default branch (or `branch`). */
  catalogPath: string;
  /** Read the descriptor from this branch instead of each project's default branch. */
  branch?: string;
  filters: {
    /** A project must carry at least one of these topics (empty: any). */
    topics?: string[];
    /** A regular expression the project's path (within the group) must match. */
    name?: string;
    visibility?: Array<'public' | 'internal' | 'private'>;
    includeArchived: boolean;
  };
  schedule: { intervalSeconds: number };
  /** Also sync the group, its subgroups and their members as Group and User entities. */
  syncOrg: boolean;
  /** The secret GitLab sends as `X-Gitlab-Token` on this group's (or the instance's system) webhook. */
  webhookSecret?: string;
  /** Largest descriptor read (bytes). */
  maxFileBytes: number;
  /** Longest `Retry-After` waited for within a run; a longer one pauses the scan until then. */
  maxRetryWaitSeconds: number;
}

const hostSchema = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+(:[0-9]{1,5})?$' };
/** GitLab group paths: segments of letters, digits, `_`, `-`, `.`, not starting with `-` or `.`. */
export const GROUP_PATH_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}){0,20}$';

export const gitlabDiscoverySchema = {
  type: 'object',
  required: ['group'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$' },
    host: { ...hostSchema, default: 'gitlab.com' },
    group: { type: 'string', pattern: GROUP_PATH_PATTERN },
    catalogPath: { type: 'string', minLength: 1, maxLength: 500, default: 'catalog-info.yaml' },
    branch: { type: 'string', minLength: 1, maxLength: 250 },
    filters: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        topics: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 255 } },
        name: { type: 'string', minLength: 1, maxLength: 200 },
        visibility: { type: 'array', items: { enum: ['public', 'internal', 'private'] } },
        includeArchived: { type: 'boolean', default: false },
      },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { intervalSeconds: { type: 'integer', minimum: 1, default: 300 } },
    },
    syncOrg: { type: 'boolean', default: false },
    webhookSecret: { type: 'string', minLength: 8 },
    maxFileBytes: { type: 'integer', minimum: 1, default: 1048576 },
    maxRetryWaitSeconds: { type: 'integer', minimum: 0, default: 30 },
  },
} as const;

const validate = createAjv({ useDefaults: true }).compile({ type: 'array', items: gitlabDiscoverySchema, default: [] } as unknown as JsonSchema);

/** Reads and checks `integrations.discovery.gitlab` (defaults filled in); throws naming every bad field. */
export function readGitLabDiscoveryConfig(value: unknown): GitLabDiscoveryConfig[] {
  const list = structuredClone(value ?? []);
  if (!validate(list)) {
    const errors = toFieldErrors(validate.errors, 'integrations.discovery.gitlab');
    throw new Error(`Invalid integrations.discovery.gitlab: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
  const targets = list as GitLabDiscoveryConfig[];
  for (const t of targets) {
    checkCatalogPath(t.catalogPath);
    if (t.filters.name) new RegExp(t.filters.name); // throws on a bad pattern, at start
  }
  return targets;
}

/** The descriptor path must stay inside the repository: relative, no `..`, no option-like or control characters. */
export function checkCatalogPath(p: string): string {
  const clean = p.replace(/^\/+/, '');
  if (
    !clean ||
    clean.split('/').some((s) => s === '' || s === '.' || s === '..') ||
    clean.startsWith('-') ||
    hasControlCharacter(clean) ||
    clean.includes('\\')
  ) {
    throw new Error(`Invalid catalogPath ${JSON.stringify(p)}: use a path inside the repository such as catalog-info.yaml`);
  }
  return clean;
}

/** GitLab's REST root for a host: `apiBaseUrl` as configured (…/api/v4), else https://<host>/api/v4. */
export function gitlabApiBaseUrl(config: { host: string; apiBaseUrl?: string }): string {
  if (config.apiBaseUrl) return config.apiBaseUrl.replace(/\/+$/, '');
  return `https://${config.host}/api/v4`;
}

/** Any C0 control character or DEL. */
export function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
