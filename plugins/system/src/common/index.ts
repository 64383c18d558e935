export type {
  SystemInfo,
  DatabaseInfo,
  DatabaseMode,
  PluginInfo,
  PluginStatus,
  PluginHealth,
  HealthStatus,
  PluginMigration,
  JobInfo,
  JobRunStatus,
} from './types.js';
