import type { Migration } from '@atrium/backend-plugin-api';

/**
 * SCIM provisioning tables, in the auth module's schema `atrium_auth`. The directory an identity
 * provider pushes is kept here as it was sent (the source of truth); the catalog's `User` and
 * `Group` entities are derived from it.
 */
export const scimMigrations: Migration[] = [
  {
    name: '0010_scim_provisioning',
    async up(knex) {
      await knex.schema.createTable('scim_users', (t) => {
        t.uuid('id').primary();
        t.text('external_id').index();
        t.text('user_name').notNullable();
        // userName is case-insensitive in SCIM (RFC 7643 §4.1.1): unique by its lower-case form.
        t.text('user_name_key').notNullable().unique();
        // The catalog entity name, chosen once at creation so refs (sessions, tokens) stay stable.
        t.text('entity_name').notNullable().unique();
        t.boolean('active').notNullable().defaultTo(true);
        t.text('display_name');
        t.jsonb('emails').notNullable();
        // The rest of the resource as the identity provider sent it (name, title, extensions; never a password).
        t.jsonb('resource').notNullable();
        t.integer('version').notNullable().defaultTo(1);
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
      });
      await knex.schema.createTable('scim_groups', (t) => {
        t.uuid('id').primary();
        t.text('external_id').index();
        t.text('display_name').notNullable();
        t.text('entity_name').notNullable().unique();
        t.jsonb('resource').notNullable();
        t.integer('version').notNullable().defaultTo(1);
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
      });
      await knex.schema.createTable('scim_group_members', (t) => {
        t.uuid('group_id').notNullable().references('id').inTable('scim_groups').onDelete('CASCADE');
        t.uuid('member_id').notNullable().index();
        t.text('member_type').notNullable(); // User | Group
        t.primary(['group_id', 'member_id']);
      });
    },
  },
];
