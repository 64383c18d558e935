import type { Migration } from '@atrium/backend-plugin-api';

// Runs in the plugin's own schema ("automations"), on PGlite and Postgres alike.
export const automationsMigrations: Migration[] = [
  {
    name: '0001_init',
    async up(knex) {
      await knex.raw(`create table cursors (consumer text primary key, position text not null, updated_at timestamptz not null default now())`);
      await knex.raw(`
        create table runs (
          id uuid primary key,
          automation_id text not null,
          event_key text not null,
          event jsonb not null,
          status text not null,
          reason text,
          hop integer not null default 0,
          created_at timestamptz not null default now(),
          unique (automation_id, event_key)
        )`);
      await knex.raw(`create index runs_by_automation on runs (automation_id, created_at desc)`);
      await knex.raw(`
        create table deliveries (
          id uuid primary key,
          run_id uuid not null references runs(id) on delete cascade,
          automation_id text not null,
          action_index integer not null,
          action_type text not null,
          idempotency_key text not null unique,
          status text not null,
          attempts integer not null default 0,
          max_attempts integer not null,
          next_attempt_at timestamptz not null default now(),
          lease_owner text,
          lease_until timestamptz,
          request jsonb not null,
          last_status_code integer,
          last_duration_ms integer,
          last_error text,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now()
        )`);
      await knex.raw(`create index deliveries_due on deliveries (next_attempt_at) where status = 'pending'`);
      await knex.raw(`create index deliveries_by_run on deliveries (run_id)`);
      await knex.raw(`
        create table delivery_attempts (
          id bigserial primary key,
          delivery_id uuid not null references deliveries(id) on delete cascade,
          attempt integer not null,
          at timestamptz not null default now(),
          duration_ms integer not null,
          status_code integer,
          error text,
          response text,
          replica text not null
        )`);
      await knex.raw(`create index attempts_by_delivery on delivery_attempts (delivery_id, attempt)`);
      await knex.raw(`
        create table automation_state (
          automation_id text primary key,
          paused boolean not null default false,
          updated_by text,
          updated_at timestamptz not null default now(),
          last_schedule_at timestamptz
        )`);
      // The last version of each entity the plugin saw, for before/after of updates and deletes.
      await knex.raw(
        `create table entity_snapshots (entity_ref text primary key, hash text not null, entity jsonb not null, updated_at timestamptz not null default now())`,
      );
    },
  },
  {
    // `before` of entity events is rebuilt from the catalog's events (each changed path with its
    // old value) instead of from a second copy of every entity.
    name: '0002_drop_entity_snapshots',
    async up(knex) {
      await knex.raw(`drop table if exists entity_snapshots`);
    },
  },
];
