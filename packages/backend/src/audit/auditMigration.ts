import type { Migration } from '@atrium/backend-plugin-api';

/**
 * The audit log (`atrium_host.audit_events`): append-only, each row chained to the previous one by
 * `prev_hash`/`hash`. `audit_checkpoints` remembers the last row a retention prune removed, so the
 * chain stays verifiable from the oldest row kept.
 */
export const auditLogMigration: Migration = {
  name: '0002_audit_log',
  async up(knex) {
    await knex.schema.createTable('audit_events', (t) => {
      t.bigIncrements('id').primary();
      t.timestamp('time', { useTz: true }).notNullable();
      t.text('actor').notNullable();
      t.text('actor_type').notNullable();
      t.text('action').notNullable();
      t.text('target');
      t.text('outcome').notNullable();
      t.text('request_id');
      t.text('client_address');
      t.jsonb('diff');
      t.jsonb('meta');
      t.text('prev_hash').notNullable();
      t.text('hash').notNullable();
      t.index(['time']);
      t.index(['actor', 'id']);
      t.index(['action', 'id']);
      t.index(['target', 'id']);
    });
    await knex.raw(`alter table audit_events add constraint audit_events_outcome_check check (outcome in ('succeeded', 'failed', 'denied'))`);
    await knex.schema.createTable('audit_checkpoints', (t) => {
      t.bigIncrements('id').primary();
      /** The last row removed by this prune; rows after it chain from `hash`. */
      t.bigInteger('upto_id').notNullable();
      t.text('hash').notNullable();
      t.timestamp('upto_time', { useTz: true }).notNullable();
      t.bigInteger('removed').notNullable();
      t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    });
  },
};
