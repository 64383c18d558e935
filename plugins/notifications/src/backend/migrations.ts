import type { Migration } from '@atrium/backend-plugin-api';

export const notificationsMigrations: Migration[] = [
  {
    name: '0001_init',
    async up(knex) {
      await knex.schema.createTable('notifications', (t) => {
        t.uuid('id').primary();
        // One row per recipient: a lower-case user or group ref, or 'broadcast'.
        t.text('recipient').notNullable();
        t.text('source').notNullable();
        t.text('topic').notNullable();
        t.text('title').notNullable();
        t.text('description');
        t.text('link');
        t.text('severity').notNullable();
        t.text('entity_ref');
        // Replace-or-update key: unique per source and recipient (NULLs never collide).
        t.text('scope');
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
        t.timestamp('read_at', { useTz: true });
        t.unique(['source', 'scope', 'recipient']);
        t.index(['recipient', 'created_at']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('notifications');
    },
  },
];
