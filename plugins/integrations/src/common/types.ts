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
