import type { Migration } from '@atrium/backend-plugin-api';
import type { Knex } from 'knex';

const TABLE = 'atrium_migrations';

/** Applies a plugin's migrations in its own schema, in name order, each in a transaction. */
export async function runMigrations(knex: Knex, schema: string, migrations: Migration[]): Promise<void> {
  if (migrations.length === 0) return;
  const names = new Set<string>();
  for (const m of migrations) {
    if (names.has(m.name)) throw new Error(`Duplicate migration name "${m.name}"`);
    names.add(m.name);
  }
  const source: Knex.MigrationSource<Migration> = {
    getMigrations: async () => [...migrations].sort((a, b) => a.name.localeCompare(b.name)),
    getMigrationName: (m) => m.name,
    getMigration: async (m) => ({ up: (k: Knex) => m.up(k), down: (k: Knex) => (m.down ? m.down(k) : Promise.resolve()) }),
  };
  await knex.migrate.latest({ migrationSource: source, schemaName: schema, tableName: TABLE });
}

/** Every declared migration with the time it was applied, or null when still pending. */
export async function migrationStatus(knex: Knex, schema: string, migrations: Migration[]): Promise<Array<{ name: string; appliedAt: string | null }>> {
  let applied = new Map<string, string>();
  if (migrations.length > 0 && (await knex.schema.withSchema(schema).hasTable(TABLE))) {
    const rows = await knex.withSchema(schema).from(TABLE).select('name', 'migration_time');
    applied = new Map(rows.map((r: { name: string; migration_time: Date }) => [r.name, new Date(r.migration_time).toISOString()]));
  }
  return [...migrations].sort((a, b) => a.name.localeCompare(b.name)).map((m) => ({ name: m.name, appliedAt: applied.get(m.name) ?? null }));
}
