/** Response of `GET /api/system/info`: what the running server is and how its parts are doing. */
export interface SystemInfo {
  version: string;
  nodeVersion: string;
  /** ISO timestamp. */
  startedAt: string;
  uptimeSeconds: number;
  database: DatabaseInfo;
  plugins: PluginInfo[];
  jobs: JobInfo[];
  /** The durable event log's size (absent when the host has none). */
  eventLog?: EventLogSize;
}

/** Rows and bytes of `atrium_host.event_log`, and how long rows are kept. */
export interface EventLogSize {
  rows: number;
  bytes: number;
  oldestAt: string | null;
  newestId: string | null;
  retentionDays: number;
}

export type DatabaseMode = 'embedded' | 'postgres';

export interface DatabaseInfo {
  mode: DatabaseMode;
  /** Data directory for embedded mode (or ':memory:'), host/database for Postgres; never credentials. */
  location: string;
  serverVersion: string;
}

export type PluginStatus = 'starting' | 'running' | 'failed' | 'stopped';

export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface PluginHealth {
  status: HealthStatus;
  message?: string;
}

export interface PluginMigration {
  name: string;
  /** ISO timestamp, or null while the migration is pending. */
  appliedAt: string | null;
}

export interface PluginInfo {
  id: string;
  status: PluginStatus;
  error?: string;
  /** How long the plugin's setup took. */
  startupMs?: number;
  dependsOn: string[];
  health: PluginHealth;
  migrations: PluginMigration[];
}

export type JobRunStatus = 'ok' | 'error';

export interface JobInfo {
  id: string;
  pluginId: string;
  intervalSeconds: number;
  lastRunAt: string | null;
  lastStatus: JobRunStatus | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextRunAt: string | null;
  running: boolean;
}
