// The database contract lives in the plugin API (it is the `database` core service).
export type { DatabaseInfo, DatabaseService as Database } from '@atrium/backend-plugin-api';
