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
  EventLogSize,
} from './types.js';
export type { AuditEventRow, AuditEventsPage, AuditOutcomeName } from './audit.js';
export { AUDIT_LOG_READ_PERMISSION } from './audit.js';
