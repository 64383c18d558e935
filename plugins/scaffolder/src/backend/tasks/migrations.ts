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
  {
    // Durable golden paths (issue 19): each step's recorded outcome, a content-addressed store
    // of the workspace files after each step, task leases, and waiting tasks that hold no worker.
    name: '0003_durable_steps',
    async up(knex) {
      await knex.schema.alterTable('tasks', (t) => {
        t.timestamp('lease_expires_at', { useTz: true });
        t.timestamp('wake_at', { useTz: true });
        t.jsonb('waiting_on');
        // Entity refs a waiting task waits for (approvers), for "Waiting for me".
        t.specificType('waiting_for', 'text[]');
        t.jsonb('attention');
        t.timestamp('deadline_at', { useTz: true });
        t.boolean('compensate').notNullable().defaultTo(false);
      });
      // Tasks in processing before this migration keep their liveness: the lease ends where the heartbeat window did.
      await knex.raw(`update tasks set lease_expires_at = coalesce(last_heartbeat_at, now()) + interval '30 seconds' where status = 'processing'`);
      // A waiting task costs a row: the poll reads only due rows, through these partial indexes.
      await knex.raw(`create index tasks_wake_at_idx on tasks (wake_at) where status = 'waiting'`);
      await knex.raw(`create index tasks_lease_idx on tasks (lease_expires_at) where status = 'processing'`);
      await knex.raw(`create index tasks_waiting_for_idx on tasks using gin (waiting_for) where status in ('waiting', 'awaiting-approval')`);
      await knex.schema.createTable('task_steps', (t) => {
        t.uuid('task_id').notNullable().references('id').inTable('tasks').onDelete('CASCADE');
        t.text('step_id').notNullable();
        t.integer('position').notNullable();
        t.text('status').notNullable();
        t.integer('attempt').notNullable().defaultTo(0);
        t.jsonb('output');
        t.text('error');
        // The replica that ran the last attempt.
        t.text('worker');
        t.timestamp('started_at', { useTz: true });
        t.timestamp('finished_at', { useTz: true });
        // [{ path, hash, mode }] of the workspace after the step; contents in workspace_blobs.
        t.jsonb('files');
        t.primary(['task_id', 'step_id']);
      });
      await knex.schema.createTable('workspace_blobs', (t) => {
        t.text('hash').primary();
        t.binary('content').notNullable();
        t.integer('size').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
    },
  },
  {
    // A pull/merge request webhook finds the tasks waiting on it by URL (see pullRequestUrlKey),
    // among any number of waiting tasks, without reading them all.
    name: '0004_pull_request_wait_index',
    async up(knex) {
      await knex.raw(`create index tasks_pull_request_url_idx on tasks (lower(rtrim(waiting_on->>'pullRequestUrl', '/'))) where status = 'waiting'`);
    },
    async down(knex) {
      await knex.raw('drop index if exists tasks_pull_request_url_idx');
    },
  },
  {
    // The task lists ("All", "Waiting for me": newest first, 50 a page) read the newest rows in
    // index order instead of sorting every task: at 10,000 waiting tasks the page cost 13 ms
    // (a scan of the wide rows and a top-N sort), with the index 0.1 ms; the count is index-only.
    name: '0005_tasks_created_at_index',
    async up(knex) {
      await knex.raw('create index if not exists tasks_created_at_idx on tasks (created_at)');
    },
    async down(knex) {
      await knex.raw('drop index if exists tasks_created_at_idx');
    },
  },
];
