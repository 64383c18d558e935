import path from 'node:path';
import type { ConfigService } from '@atrium/backend-plugin-api';
import { resolveDataDir } from '../config/resolveDataDir.js';
import { StartupError } from '../host/StartupError.js';
import type { Database } from './Database.js';
import { openPglite } from './openPglite.js';
import { openPostgres, type PgConnection } from './openPostgres.js';

/**
 * Opens the database `backend.database` describes. Embedded Postgres lives in
 * `<backend.dataDir>/data` by default, which is `.atrium/data` beside app-config.yaml when no
 * data directory is configured (where earlier versions kept it).
 */
export async function openDatabase(config: ConfigService): Promise<Database> {
  const db = (config.get('backend.database') ?? {}) as {
    client?: 'pglite' | 'pg';
    connection?: string | Record<string, unknown>;
    connectTimeoutSeconds?: number;
    sharedBuffers?: string;
  };
  const client = db.client ?? (isPostgresServer(db.connection) ? 'pg' : 'pglite');
  if (client === 'pglite' && isPostgresServer(db.connection)) {
    throw new StartupError(
      `${config.originOf('backend.database.connection') ?? 'Config'}: backend.database.client is "pglite" (embedded) but backend.database.connection ` +
        `names a Postgres server. Set backend.database.client to "pg" to use that server, or give the embedded database a directory ` +
        `({ directory: <path> }) or ":memory:".`,
    );
  }
  if (client === 'pg') {
    if (!db.connection) {
      throw new StartupError(`${config.originOf('backend.database') ?? 'Config'}: backend.database.client is "pg" but backend.database.connection is not set.`);
    }
    return openPostgres(db.connection as PgConnection, db.connectTimeoutSeconds);
  }
  const conn = db.connection;
  if (db.sharedBuffers && sizeInKb(db.sharedBuffers) < MIN_SHARED_BUFFERS_KB) {
    throw new StartupError(
      `${config.originOf('backend.database.sharedBuffers') ?? 'Config'}: backend.database.sharedBuffers is ${db.sharedBuffers}; ` +
        `the embedded database needs at least 128kB (the default is 48MB).`,
    );
  }
  const options = db.sharedBuffers ? { sharedBuffers: db.sharedBuffers } : {};
  if (conn === ':memory:') return openPglite(':memory:', options);
  const dir = typeof conn === 'string' ? conn : (conn?.['directory'] as string | undefined);
  if (dir === undefined) return openPglite(path.join(resolveDataDir(config), 'data'), options);
  return openPglite(path.resolve(config.baseDirOf('backend.database.connection'), dir), options);
}

/** Postgres' smallest shared_buffers (16 pages of 8kB). */
const MIN_SHARED_BUFFERS_KB = 128;

/** A size as the config schema allows it (`<n>kB`, `<n>MB`, `<n>GB`) in kB. */
function sizeInKb(size: string): number {
  const n = Number.parseInt(size, 10);
  return size.endsWith('GB') ? n * 1024 * 1024 : size.endsWith('MB') ? n * 1024 : n;
}

/**
 * Whether a connection setting names a Postgres server rather than an embedded database's
 * directory: a `postgres://` / `postgresql://` URL, or an object with a server's fields. Without
 * this a URL given without `client: pg` became the path of an embedded database ("postgres:/…").
 */
export function isPostgresServer(connection: unknown): boolean {
  if (typeof connection === 'string') return /^postgres(ql)?:\/\//i.test(connection.trim());
  if (connection && typeof connection === 'object') {
    return ['connectionString', 'host', 'port', 'user', 'password', 'database'].some((k) => k in connection);
  }
  return false;
}
