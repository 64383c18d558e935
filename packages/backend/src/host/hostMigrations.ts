import type { Migration } from '@atrium/backend-plugin-api';
import { auditHeadMigration, auditLogMigration } from '../audit/auditMigration.js';
import { eventLogMigration } from '../eventLog/eventLogMigration.js';

/** Tables the host itself keeps, in the `atrium_host` schema. */
export const hostMigrations: Migration[] = [
  {
    name: '0001_scheduler_and_events',
    async up(knex) {
      await knex.schema.createTable('scheduled_jobs', (t) => {
        t.text('id').primary();
        t.text('plugin_id').notNullable();
        t.integer('interval_seconds').notNullable();
        t.timestamp('next_run_at', { useTz: true }).notNullable();
        t.timestamp('claimed_tick', { useTz: true });
        t.text('locked_by');
        t.timestamp('locked_until', { useTz: true });
        t.timestamp('last_run_at', { useTz: true });
        t.text('last_status');
        t.text('last_error');
        t.integer('last_duration_ms');
        t.bigInteger('run_count').notNullable().defaultTo(0);
      });
      // NOTIFY payloads are capped near 8 KB; larger events travel through this table.
      await knex.schema.createTable('event_payloads', (t) => {
        t.bigIncrements('id').primary();
        t.text('body').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      });
    },
  },
  auditLogMigration,
  eventLogMigration,
  auditHeadMigration,
];
