import path from 'node:path';
import type { ConfigBundle } from '../config/ConfigBundle.js';
import { StartupError } from '../host/StartupError.js';
import type { Database } from './Database.js';
import { openPglite } from './openPglite.js';
import { openPostgres, type PgConnection } from './openPostgres.js';

export const DEFAULT_DATA_DIR = '.atrium/data';

/** Opens the database `backend.database` describes; embedded Postgres in `.atrium/data` by default. */
export async function openDatabase(config: ConfigBundle): Promise<Database> {
  const db = (config.get('backend.database') ?? {}) as {
    client?: 'pglite' | 'pg';
    connection?: string | Record<string, unknown>;
    connectTimeoutSeconds?: number;
  };
  const client = db.client ?? 'pglite';
  if (client === 'pg') {
    if (!db.connection) {
      throw new StartupError(
        `${config.originOf('backend.database') ?? 'Config'}: backend.database.client is "pg" but backend.database.connection is not set.`,
      );
    }
    return openPostgres(db.connection as PgConnection, db.connectTimeoutSeconds);
  }
  const conn = db.connection;
  if (conn === ':memory:') return openPglite(':memory:');
  const dir = typeof conn === 'string' ? conn : ((conn?.['directory'] as string | undefined) ?? DEFAULT_DATA_DIR);
  const baseDir = config.baseDirOf('backend.database.connection');
  return openPglite(path.resolve(baseDir, dir));
}
