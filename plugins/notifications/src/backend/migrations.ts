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
  {
    name: '0002_per_user_reads_preferences_deliveries',
    async up(knex) {
      // Read state of a group notification or a broadcast, per reader (a user's own rows keep read_at).
      await knex.schema.createTable('notification_reads', (t) => {
        t.uuid('notification_id').notNullable().references('id').inTable('notifications').onDelete('CASCADE');
        t.text('user_ref').notNullable();
        t.timestamp('read_at', { useTz: true }).notNullable();
        t.primary(['notification_id', 'user_ref']);
        t.index(['user_ref']);
      });
      // Before sign-in, the one reader of a broadcast was the guest: its read state moves over.
      await knex.raw(
        `insert into notification_reads (notification_id, user_ref, read_at)
         select id, 'user:default/guest', read_at from notifications where recipient = 'broadcast' and read_at is not null`,
      );
      await knex('notifications').where('recipient', 'broadcast').update({ read_at: null });
      await knex.schema.createTable('preferences', (t) => {
        t.text('user_ref').primary();
        t.jsonb('settings').notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
      });
      // One row per notification, user and channel ('email', 'digest', 'slack'): claimed before
      // sending, marked sent after, so no replica sends one twice.
      await knex.schema.createTable('deliveries', (t) => {
        t.uuid('id').primary();
        t.uuid('notification_id').notNullable().references('id').inTable('notifications').onDelete('CASCADE');
        t.text('user_ref').notNullable();
        t.text('channel').notNullable();
        t.text('status').notNullable();
        t.integer('attempts').notNullable().defaultTo(0);
        t.text('claimed_by');
        t.timestamp('claimed_at', { useTz: true });
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('sent_at', { useTz: true });
        t.text('error');
        t.unique(['notification_id', 'user_ref', 'channel']);
        t.index(['channel', 'status']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('deliveries');
      await knex.schema.dropTable('preferences');
      await knex.schema.dropTable('notification_reads');
    },
  },
];
