import type { JsonSchema } from '@atrium/backend-plugin-api';

/** One GitHub App (Backstage's `integrations.github[].apps[]`). */
export interface GitHubAppConfig {
  appId: number;
  /** PEM private key of the app. */
  privateKey: string;
  clientId?: string;
  clientSecret?: string;
  webhookSecret?: string;
  /** The installation to act as; when absent the app's installation on the discovered org is looked up. */
  installationId?: number;
}

/** One GitHub host (Backstage's `integrations.github[]`). */
export interface GitHubIntegrationConfig {
  host: string;
  /** REST API root; default https://api.github.com for github.com, https://<host>/api/v3 otherwise. */
  apiBaseUrl?: string;
  token?: string;
  apps?: GitHubAppConfig[];
  /** Webhook secret for a token-based setup (an app has its own). */
  webhookSecret?: string;
}

/** One GitLab host (Backstage's `integrations.gitlab[]`); read by the GitLab module. */
export interface GitLabIntegrationConfig {
  host: string;
  apiBaseUrl?: string;
  token?: string;
}

export interface GitHubDiscoveryFilters {
  /** A repository must carry at least one of these topics (empty: any). */
  topics?: string[];
  /** A regular expression the repository name must match. */
  name?: string;
  /** Visibilities to include (empty: all). */
  visibility?: Array<'public' | 'private' | 'internal'>;
  includeArchived: boolean;
}

/** `integrations.discovery.github[]`: what to discover on one host. */
export interface GitHubDiscoveryConfig {
  /** An id for this target, used in entity location keys and status (default `<host>/<org|user>`). */
  id?: string;
  host: string;
  org?: string;
  user?: string;
  /** Path of the descriptor in each repository, or a glob (`/services/*\/catalog-info.yaml`). */
  catalogPath: string;
  filters: GitHubDiscoveryFilters;
  schedule: { intervalSeconds: number };
  /** Import repositories without a descriptor as generated Components (off by default). */
  generateComponents: boolean;
  /** Also sync the org's teams and members as Group and User entities. */
  syncOrg: boolean;
}

export interface IntegrationsConfig {
  github: GitHubIntegrationConfig[];
  gitlab: GitLabIntegrationConfig[];
  discovery: { github: GitHubDiscoveryConfig[]; [kind: string]: unknown };
  /** Key for credentials stored in the database (else env ATRIUM_INTEGRATIONS_KEY, else a generated key file). */
  encryptionKey?: string;
  /** Other modules' sections (ldap, ...). */
  [section: string]: unknown;
}

const hostSchema = { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+(:[0-9]{1,5})?$' };
const urlSchema = { type: 'string', minLength: 1, maxLength: 2000, pattern: '^https?://' };

const githubAppSchema = {
  type: 'object',
  required: ['appId', 'privateKey'],
  additionalProperties: false,
  properties: {
    appId: { type: 'integer', minimum: 1 },
    privateKey: { type: 'string', minLength: 1 },
    clientId: { type: 'string' },
    clientSecret: { type: 'string' },
    webhookSecret: { type: 'string' },
    installationId: { type: 'integer', minimum: 1 },
  },
};

const githubSchema = {
  type: 'object',
  required: ['host'],
  additionalProperties: false,
  properties: {
    host: hostSchema,
    apiBaseUrl: urlSchema,
    token: { type: 'string', minLength: 1 },
    apps: { type: 'array', items: githubAppSchema },
    webhookSecret: { type: 'string', minLength: 1 },
  },
};

const gitlabSchema = {
  type: 'object',
  required: ['host'],
  additionalProperties: false,
  properties: { host: hostSchema, apiBaseUrl: urlSchema, token: { type: 'string', minLength: 1 } },
};

export const githubDiscoverySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$' },
    host: { ...hostSchema, default: 'github.com' },
    org: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$' },
    user: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$' },
    catalogPath: { type: 'string', minLength: 1, maxLength: 500, default: '/catalog-info.yaml' },
    filters: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        topics: { type: 'array', items: { type: 'string', minLength: 1 } },
        name: { type: 'string', minLength: 1, maxLength: 200 },
        visibility: { type: 'array', items: { enum: ['public', 'private', 'internal'] } },
        includeArchived: { type: 'boolean', default: false },
      },
    },
    schedule: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { intervalSeconds: { type: 'integer', minimum: 1, default: 300 } },
    },
    generateComponents: { type: 'boolean', default: false },
    syncOrg: { type: 'boolean', default: false },
  },
  oneOf: [{ required: ['org'] }, { required: ['user'] }],
};

/** The `integrations:` section. Modules other than GitHub own their keys' shapes (`discovery.gitlab`, `ldap`). */
export const integrationsConfigSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    github: { type: 'array', items: githubSchema, default: [] },
    gitlab: { type: 'array', items: gitlabSchema, default: [] },
    discovery: {
      type: 'object',
      default: {},
      properties: { github: { type: 'array', items: githubDiscoverySchema, default: [] } },
    },
    encryptionKey: { type: 'string', minLength: 32 },
    ldap: { type: 'array', default: [] },
  },
} as unknown as JsonSchema;

/** The REST API root of a GitHub host. */
export function githubApiBaseUrl(config: { host: string; apiBaseUrl?: string }): string {
  if (config.apiBaseUrl) return config.apiBaseUrl.replace(/\/+$/, '');
  return config.host === 'github.com' ? 'https://api.github.com' : `https://${config.host}/api/v3`;
}
