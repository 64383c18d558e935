import type { Migration } from '@atrium/backend-plugin-api';

export const scaffolderMigrations: Migration[] = [
  {
    name: '0001_tasks',
    async up(knex) {
      await knex.schema.createTable('tasks', (t) => {
        t.uuid('id').primary();
        t.jsonb('spec').notNullable();
        t.text('status').notNullable();
        t.text('template_ref').notNullable();
        t.text('created_by');
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.timestamp('last_heartbeat_at', { useTz: true });
        t.timestamp('completed_at', { useTz: true });
        t.text('claimed_by');
        t.boolean('cancel_requested').notNullable().defaultTo(false);
        // AES-256-GCM ciphertext of the task's secrets; cleared when the task ends.
        t.text('secrets_enc');
        t.jsonb('approval');
        t.jsonb('output');
        t.text('error');
        t.uuid('retry_of');
        t.integer('event_count').notNullable().defaultTo(0);
        t.index(['status', 'created_at']);
        t.index(['created_by', 'created_at']);
      });
      await knex.schema.createTable('task_events', (t) => {
        t.bigIncrements('id').primary();
        t.uuid('task_id').notNullable().references('id').inTable('tasks').onDelete('CASCADE');
        t.text('event_type').notNullable();
        t.jsonb('body').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.index(['task_id', 'id']);
      });
      await knex.schema.createTable('notifications', (t) => {
        t.uuid('id').primary();
        t.jsonb('recipients').notNullable();
        t.text('title').notNullable();
        t.text('description');
        t.text('link');
        t.text('severity').notNullable();
        t.text('topic');
        t.uuid('task_id');
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
        t.index(['created_at']);
      });
      await knex.schema.createTable('settings', (t) => {
        t.text('key').primary();
        t.text('value').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('task_events');
      await knex.schema.dropTable('tasks');
      await knex.schema.dropTable('notifications');
      await knex.schema.dropTable('settings');
    },
  },
  {
    // notification:send delivers through the notifications plugin (one store for every plugin);
    // this table is no longer read or written. Its rows are not carried over.
    name: '0002_drop_notifications',
    async up(knex) {
      await knex.schema.dropTableIfExists('notifications');
    },
  },
];
