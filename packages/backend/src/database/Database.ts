import type { Knex } from 'knex';

export interface DatabaseInfo {
  mode: 'embedded' | 'postgres';
  /** A data directory, `:memory:`, or `host:port/database` (never a password). */
  location: string;
  serverVersion: string;
}

/** An open database: hands out knex instances scoped to one schema each. */
export interface Database {
  info: DatabaseInfo;
  /** Creates the schema when missing and returns a knex whose search_path is that schema. */
  forSchema(schema: string): Promise<Knex>;
  /**
   * Runs `fn` while holding a database-wide lock, so replicas starting together on one server
   * create schemas and run migrations one at a time.
   */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Present on a server database: opens a dedicated session for LISTEN. */
  connectionConfig?: Knex.PgConnectionConfig;
  close(): Promise<void>;
}
