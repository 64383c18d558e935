import type { PGlite } from '@electric-sql/pglite';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { AsyncMutex } from './AsyncMutex.js';

/**
 * One PGlite instance is one Postgres session. Every plugin still gets its own knex scoped to its
 * own schema: a shared mutex hands the session to one knex at a time (a transaction holds it until
 * commit) and the session's search_path is switched to the holder's schema on each hand-over.
 */
export interface SharedPglite {
  pglite: PGlite;
  mutex: AsyncMutex;
  currentPath: string | null;
  release: (() => void) | null;
}

export function sharePglite(pglite: PGlite): SharedPglite {
  return { pglite, mutex: new AsyncMutex(), currentPath: null, release: null };
}

const ACQUIRE_TIMEOUT_MS = 30_000;

/** The parts of knex's (untyped) client class this file overrides. */
interface KnexClientHooks {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
  destroyRawConnection(connection: unknown): Promise<unknown>;
  setSchemaSearchPath(connection: unknown, searchPath?: unknown): Promise<unknown>;
  processResponse(obj: { method?: string }, runner: unknown): unknown;
}

// knex-pglite derives the SQL command from the builder method name, which gives "DEL" for
// .delete() and "COUNTER" for .increment(); knex then returns the raw result instead of the
// row count. Rename those methods to the command they run.
const METHOD_COMMANDS: Record<string, string> = { del: 'delete', counter: 'update' };

export function createPgliteKnex(shared: SharedPglite, searchPath: string[]): Knex {
  const pathSql = searchPath.map((s) => `"${s.replace(/"/g, '""')}"`).join(', ');
  const Base = ClientPgLite as unknown as new (config: Knex.Config) => KnexClientHooks;

  class ScopedPgliteClient extends Base {
    override async acquireConnection(): Promise<unknown> {
      const release = await shared.mutex.lock(ACQUIRE_TIMEOUT_MS, `the embedded database (schema ${searchPath[0]})`);
      try {
        const connection = await super.acquireConnection();
        if (shared.currentPath !== pathSql) {
          await shared.pglite.query(`set search_path to ${pathSql}`);
          shared.currentPath = pathSql;
        }
        shared.release = release;
        return connection;
      } catch (e) {
        release();
        throw e;
      }
    }

    override async releaseConnection(connection: unknown): Promise<unknown> {
      try {
        return await super.releaseConnection(connection);
      } finally {
        const release = shared.release;
        shared.release = null;
        release?.();
      }
    }

    // The session is shared: the host closes PGlite once, after every knex is destroyed.
    override async destroyRawConnection(): Promise<unknown> {
      return undefined;
    }

    override async setSchemaSearchPath(): Promise<unknown> {
      return true;
    }

    override processResponse(obj: { method?: string }, runner: unknown): unknown {
      const method = obj.method && METHOD_COMMANDS[obj.method];
      return super.processResponse(method ? { ...obj, method } : obj, runner);
    }
  }

  return knexFactory({
    client: ScopedPgliteClient as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    connection: { pglite: shared.pglite } as unknown as Knex.StaticConnectionConfig,
    acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
  });
}
