import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { StartupError } from '../host/StartupError.js';
import type { Database } from './Database.js';

// Arbitrary constant naming Atrium's start-up advisory lock.
const STARTUP_LOCK_KEY = 7_007_001;

export type PgConnection = string | Knex.PgConnectionConfig;

/**
 * node-postgres settings for a connection. An empty password (`password: ${POSTGRES_PASSWORD:-}`
 * with the variable unset) means "none configured": it is left out, so node-postgres uses
 * PGPASSWORD or ~/.pgpass, and servers that authenticate otherwise (trust, certificates) work.
 */
export function toPgConfig(connection: PgConnection): Knex.PgConnectionConfig {
  if (typeof connection === 'string') return { connectionString: connection };
  const config = { ...connection };
  if (config.password === '') delete config.password;
  return config;
}

function passwordIn(connectionString: string | undefined): boolean {
  if (!connectionString) return false;
  try {
    return new URL(connectionString).password !== '';
  } catch {
    return false;
  }
}

/** Where a connection points, without its password, for messages. */
export function describePg(config: Knex.PgConnectionConfig): string {
  if (config.connectionString) {
    try {
      const u = new URL(config.connectionString);
      return `${u.hostname}:${u.port || 5432}${u.pathname}`;
    } catch {
      return 'the configured connection string';
    }
  }
  return `${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}

/**
 * Session settings for each new connection (session settings rather than startup options, so
 * connection poolers that refuse startup options, such as PgBouncer, still work):
 * - `jit = off`: Atrium's statements are short and index-driven, but bulk statements over tables
 *   without statistics yet (a first ingest) get large cost estimates, and then Postgres spends
 *   50–250 ms compiling each one with LLVM before running it (the scorecards' batch read after an
 *   ingest; bench/RESULTS.md, session 13).
 * - `default_toast_compression = lz4` where the server offers it: large values (entity JSON,
 *   full-text documents, event payloads) compress with lz4 rather than pglz; writing a catalog's
 *   final entities took a third less time on Postgres 15 (bench/RESULTS.md, session 11). Values
 *   already stored keep their compression.
 * A setting the connection's `options` choose (`-c jit=on`) is left alone.
 */
export function sessionSettings(options: string | undefined, lz4Offered: boolean): string[] {
  const chosen = (name: string) => options?.includes(name) ?? false;
  return [...(chosen('jit') ? [] : ['set jit = off']), ...(lz4Offered && !chosen('default_toast_compression') ? ['set default_toast_compression = lz4'] : [])];
}

function applySettings(statements: string[]) {
  const sql = statements.join('; ');
  return (connection: pg.Client, done: (err: Error | null, connection: pg.Client) => void): void => {
    connection.query(sql).then(
      () => done(null, connection),
      (e: unknown) => done(e instanceof Error ? e : new Error(String(e)), connection),
    );
  };
}

/**
 * Connects to a Postgres server. A server that cannot be reached fails the start within the
 * connect timeout with the host and the reason, instead of hanging.
 */
export async function openPostgres(connection: PgConnection, connectTimeoutSeconds = 10): Promise<Database> {
  const config: Knex.PgConnectionConfig = {
    ...toPgConfig(connection),
    connectionTimeoutMillis: connectTimeoutSeconds * 1000,
  };
  const where = describePg(config);
  let serverVersion: string;
  let lz4 = false;
  const probe = new pg.Client(config as pg.ClientConfig);
  try {
    await probe.connect();
    serverVersion = (await probe.query<{ version: string }>('select version()')).rows[0]?.version ?? 'unknown';
    const compression = await probe.query<{ lz4: boolean }>(
      `select coalesce('lz4' = any(enumvals), false) as lz4 from pg_settings where name = 'default_toast_compression'`,
    );
    lz4 = compression.rows[0]?.lz4 === true;
  } catch (e) {
    const reason = (e as Error).message || String(e);
    const noPassword = !config.password && !passwordIn(config.connectionString) && !process.env['PGPASSWORD'];
    const hint =
      noPassword && /password/i.test(reason)
        ? 'No password is configured: set backend.database.connection.password (POSTGRES_PASSWORD with app-config.production.yaml).'
        : 'Check backend.database.connection and that the server is running and reachable.';
    throw new StartupError(`Cannot connect to Postgres at ${where}: ${reason}. ${hint}`);
  } finally {
    await probe.end().catch(() => {});
  }

  const settings = sessionSettings(config.options, lz4);
  const knexes: Knex[] = [];
  const admin = knexFactory({ client: 'pg', connection: config, pool: { min: 0, max: 1 } });
  knexes.push(admin);
  return {
    info: { mode: 'postgres', location: where, serverVersion },
    connectionConfig: config,
    async withStartupLock(fn) {
      const client = new pg.Client(config as pg.ClientConfig);
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
        return await fn();
      } finally {
        await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => {});
        await client.end().catch(() => {});
      }
    },
    async forSchema(schema) {
      await admin.raw('create schema if not exists ??', [schema]);
      const knex = knexFactory({
        client: 'pg',
        connection: config,
        searchPath: [schema, 'public'],
        pool: { min: 0, max: 5, ...(settings.length > 0 ? { afterCreate: applySettings(settings) } : {}) },
        acquireConnectionTimeout: 30_000,
      });
      knexes.push(knex);
      return knex;
    },
    async close() {
      await Promise.all(knexes.map((k) => k.destroy()));
    },
  };
}
