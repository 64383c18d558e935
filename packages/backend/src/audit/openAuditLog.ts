import type { ConfigBundle } from '../config/ConfigBundle.js';
import { openDatabase } from '../database/openDatabase.js';
import { runMigrations } from '../database/runMigrations.js';
import { hostMigrations } from '../host/hostMigrations.js';
import { AuditStore } from './AuditStore.js';

export interface OpenedAuditLog {
  /** Undefined when the database has no audit log yet (and `migrate` was not asked for). */
  store: AuditStore | undefined;
  close(): Promise<void>;
}

/**
 * Opens the configured database's audit log outside a running backend (`atrium audit verify`).
 * With `migrate`, the host's migrations run first; without, a database that has none is reported
 * as having no audit log and nothing is created.
 */
export async function openAuditLog(config: ConfigBundle, options: { migrate?: boolean } = {}): Promise<OpenedAuditLog> {
  const database = await openDatabase(config);
  try {
    const knex = await database.forSchema('atrium_host');
    if (options.migrate) await database.withStartupLock(() => runMigrations(knex, 'atrium_host', hostMigrations));
    const exists = await knex.schema.withSchema('atrium_host').hasTable('audit_events');
    return { store: exists ? new AuditStore(knex) : undefined, close: () => database.close() };
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
}
