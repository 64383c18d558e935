import type { Migration } from '@atrium/backend-plugin-api';

/**
 * The durable event log (`atrium_host.event_log`). Ids come from `event_log_id_seq` (CACHE 1, so
 * its last value is every session's latest draw), `txid` is the writing transaction.
 */
export const eventLogMigration: Migration = {
  name: '0003_event_log',
  async up(knex) {
    await knex.raw(`create sequence event_log_id_seq as bigint cache 1`);
    await knex.raw(`
      create table event_log (
        id bigint primary key,
        txid xid8 not null default pg_current_xact_id(),
        topic text not null,
        entity_ref text,
        actor text,
        payload jsonb not null,
        meta jsonb,
        created_at timestamptz not null default now()
      )`);
    await knex.raw(`alter sequence event_log_id_seq owned by event_log.id`);
    await knex.raw(`create index event_log_entity_ref_id on event_log (entity_ref, id) where entity_ref is not null`);
    await knex.raw(`create index event_log_created_at on event_log (created_at)`);
  },
};
