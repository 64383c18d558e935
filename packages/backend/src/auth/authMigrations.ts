import type { Migration } from '@atrium/backend-plugin-api';

/** Tables of the host's auth module, in their own schema `atrium_auth`. */
export const authMigrations: Migration[] = [
  {
    name: '0001_sessions_and_tokens',
    async up(knex) {
      // A session is found by the sha256 of its cookie value; the value itself is never stored.
      await knex.schema.createTable('sessions', (t) => {
        t.uuid('id').primary();
        t.text('secret_hash').notNullable().unique();
        t.text('user_entity_ref').notNullable().index();
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('last_seen_at', { useTz: true }).notNullable();
        t.timestamp('expires_at', { useTz: true }).notNullable();
        t.timestamp('revoked_at', { useTz: true });
        t.text('user_agent');
        t.text('ip');
      });
      await knex.schema.createTable('api_tokens', (t) => {
        t.uuid('id').primary();
        t.text('secret_hash').notNullable().unique();
        t.text('name').notNullable();
        t.text('kind').notNullable(); // personal | service
        t.text('owner_ref').notNullable().index();
        t.text('created_by').notNullable();
        t.jsonb('scopes').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('expires_at', { useTz: true }).notNullable();
        t.timestamp('last_used_at', { useTz: true });
        t.timestamp('revoked_at', { useTz: true });
      });
    },
  },
  {
    name: '0002_sign_in_transactions',
    async up(knex) {
      // One row per sign-in started and not yet finished: found (and deleted) by the sha256 of
      // its single-use `state`, so a replica other than the one that started it can finish it.
      await knex.schema.createTable('sign_in_transactions', (t) => {
        t.text('state_hash').primary();
        t.text('provider_id').notNullable();
        t.jsonb('transaction').notNullable();
        t.text('return_to').notNullable();
        // sha256 of the browser-binding cookie set at start (null when none was set).
        t.text('binding_hash');
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('expires_at', { useTz: true }).notNullable().index();
      });
    },
  },
];
