import type { Migration } from '@atrium/backend-plugin-api';
import { GENESIS_HASH } from './auditHash.js';

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

/**
 * `audit_head`: one row holding the chain's last id and hash. An append locks it (`for update`,
 * which in READ COMMITTED waits for a concurrent append and then reads its committed values),
 * takes the next id and the previous hash from it, and moves it on with the insert: two
 * statements per audited change instead of an advisory lock, a head lookup and a sequence draw.
 */
export const auditHeadMigration: Migration = {
  name: '0004_audit_head',
  async up(knex) {
    await knex.raw(`create table audit_head (
      singleton boolean primary key default true check (singleton),
      last_id bigint not null,
      last_hash text not null)`);
    await knex.raw(
      `insert into audit_head (singleton, last_id, last_hash)
       select true,
         coalesce((select max(id) from audit_events), (select max(upto_id) from audit_checkpoints), 0),
         coalesce((select hash from audit_events order by id desc limit 1), (select hash from audit_checkpoints order by id desc limit 1), ?)`,
      [GENESIS_HASH],
    );
  },
  async down(knex) {
    await knex.raw('drop table audit_head');
  },
};
