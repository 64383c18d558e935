import type { Migration } from '@atrium/backend-plugin-api';

/**
 * The SAML provider's table, for the auth module's schema (`atrium_auth`): IDs of assertions
 * used to sign in, kept until they expire (samlAssertionStore.ts). The auth module runs them
 * after its own and SCIM's (authServices.ts).
 */
export const samlMigrations: Migration[] = [
  {
    name: '0100_saml_assertions',
    async up(knex) {
      await knex.schema.createTable('saml_assertions', (t) => {
        t.text('provider_id').notNullable();
        t.text('assertion_id').notNullable();
        t.timestamp('used_at', { useTz: true }).notNullable();
        t.timestamp('expires_at', { useTz: true }).notNullable().index();
        t.primary(['provider_id', 'assertion_id']);
      });
    },
  },
];
