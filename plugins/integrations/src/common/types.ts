/** An integration as the API returns it: never its secrets. */
export interface IntegrationSummary {
  id: string;
  kind: string; // 'github' | 'gitlab' | ...
  name: string;
  host: string;
  apiBaseUrl: string;
  authType: 'token' | 'app';
  /** Where it comes from: the config file (read-only here) or added through the API. */
  source: 'config' | 'api';
  discovery: IntegrationDiscovery | null;
  /** Which secrets are set (names only). */
  secretsSet: string[];
  lastTest: ConnectionTestResult | null;
  createdBy?: string;
  createdAt?: string;
}

/** Discovery options of an integration (GitHub: org or user; GitLab: group). */
export interface IntegrationDiscovery {
  org?: string;
  user?: string;
  group?: string;
  catalogPath?: string;
  filters?: { topics?: string[]; name?: string; visibility?: string[]; includeArchived?: boolean };
  intervalSeconds?: number;
  generateComponents?: boolean;
  syncOrg?: boolean;
}

export interface NewIntegration {
  kind: string;
  name: string;
  host?: string;
  apiBaseUrl?: string;
  token?: string;
  appId?: number;
  privateKey?: string;
  installationId?: number;
  webhookSecret?: string;
  discovery?: IntegrationDiscovery;
}

export interface ConnectionTestResult {
  ok: boolean;
  testedAt: string;
  /** Who the credentials act as (a login, an app slug). */
  identity?: string;
  /** Scopes the token has (`x-oauth-scopes`) and the needed ones it lacks. */
  scopes?: string[];
  missingScopes?: string[];
  message: string;
  rateLimit?: RateLimitState;
}

export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
}

/** What discovery found for one target. */
export interface DiscoveryStatus {
  targetId: string;
  integrationId?: string;
  owner: string;
  status: 'idle' | 'scanning' | 'paused' | 'error';
  /** When paused by a rate limit: when it resumes, and why. */
  pausedUntil: string | null;
  pauseReason: string | null;
  lastError: string | null;
  scanStartedAt: string | null;
  scanFinishedAt: string | null;
  reposScanned: number;
  reposWithDescriptor: number;
  entities: number;
  apiCalls: number;
  rateLimit: RateLimitState;
  /** Per repository errors (an invalid descriptor, a refused name). */
  errors: Array<{ repo: string; path?: string; message: string }>;
  repos: Array<{ name: string; url: string; entities: number; hasDescriptor: boolean; errors: number }>;
}

/** A CI run's state on the entity card, the same words for GitHub Actions and GitLab pipelines. */
export type ScmRunState = 'success' | 'failure' | 'running' | 'queued' | 'cancelled' | 'skipped' | 'other';

/** A GitHub Actions workflow run or a GitLab pipeline. */
export interface EntityScmRun {
  id: string;
  /** The workflow's name (GitHub) or `Pipeline #<iid>` (GitLab). */
  name: string;
  state: ScmRunState;
  /** The provider's own word (`completed/failure`, `failed`, `in_progress`...). */
  detail: string;
  branch: string | null;
  createdAt: string;
  url: string;
}

/** An open pull request (GitHub) or merge request (GitLab). */
export interface EntityScmChange {
  id: string;
  /** `#12` on GitHub, `!12` on GitLab. */
  reference: string;
  title: string;
  author: string;
  draft: boolean;
  createdAt: string;
  url: string;
}

/** The last commit on the default branch. */
export interface EntityScmCommit {
  sha: string;
  /** The first line of the message. */
  title: string;
  message: string;
  author: string;
  committedAt: string;
  url: string;
}

/** Why one part of the Source control card could not be read (the others may have been). */
export interface EntityScmPartError {
  /** `BadGatewayError`: the provider failed, refused or could not be reached. */
  name: string;
  /** What the provider answered and what it means, e.g. `GitHub (github.com) answered 500 for acme/orders (Server Error)`. */
  message: string;
  /** The provider's HTTP status, when it answered. */
  upstreamStatus?: number;
}

/** One part of the card, read on its own: its data, or why it could not be read. */
export type EntityScmPart<T> = { status: 'ok'; data: T } | { status: 'error'; error: EntityScmPartError };

/**
 * `GET /api/integrations/entity/:kind/:namespace/:name/scm`: what the entity's repository shows
 * now. Each part is read separately, so one failing (a `502` from the provider on pull requests,
 * say) leaves the others; when all three fail the route answers `502` instead.
 */
export interface EntityScmSummary {
  provider: 'github' | 'gitlab';
  host: string;
  /** `owner/repo` or `group/subgroup/project`, from the entity's annotation. */
  project: string;
  projectUrl: string;
  /** Newest first, at most 5. */
  runs: EntityScmPart<EntityScmRun[]>;
  /** Open ones, newest first, at most 5. */
  changes: EntityScmPart<EntityScmChange[]>;
  /** The last commit on the default branch (null when it has none). */
  lastCommit: EntityScmPart<EntityScmCommit | null>;
  /** When this replica fetched it from the provider (complete answers are kept 60 s). */
  fetchedAt: string;
}
