import type { Migration } from '@atrium/backend-plugin-api';

export const scorecardsMigrations: Migration[] = [
  {
    name: '0001_init',
    async up(knex) {
      // Latest result per entity and scorecard; `hash` is over level, points and rule statuses,
      // so an unchanged evaluation writes nothing.
      await knex.schema.createTable('results', (t) => {
        t.text('entity_ref').notNullable();
        t.text('scorecard_id').notNullable();
        t.text('owner');
        t.text('level');
        t.integer('level_rank').notNullable();
        t.double('points').notNullable();
        t.double('max_points').notNullable();
        t.jsonb('rules').notNullable();
        t.text('hash').notNullable();
        t.timestamp('evaluated_at', { useTz: true }).notNullable();
        t.timestamp('changed_at', { useTz: true }).notNullable();
        t.primary(['entity_ref', 'scorecard_id']);
        t.index(['scorecard_id', 'owner']);
      });
      // One row per change of a result, for trends.
      await knex.schema.createTable('history', (t) => {
        t.bigIncrements('id');
        t.text('entity_ref').notNullable();
        t.text('scorecard_id').notNullable();
        t.text('owner');
        t.text('level');
        t.double('points').notNullable();
        t.double('max_points').notNullable();
        t.jsonb('passed_rules').notNullable();
        t.timestamp('recorded_at', { useTz: true }).notNullable();
        t.index(['entity_ref', 'scorecard_id', 'recorded_at']);
        t.index(['scorecard_id', 'recorded_at']);
      });
      await knex.schema.createTable('facts', (t) => {
        t.text('entity_ref').primary();
        t.jsonb('facts').notNullable();
        t.text('entity_hash').notNullable();
        t.timestamp('entity_changed_at', { useTz: true }).notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
      });
      await knex.schema.createTable('techdocs_builds', (t) => {
        t.text('entity_ref').primary();
        t.boolean('ok').notNullable();
        t.timestamp('built_at', { useTz: true }).notNullable();
      });
      await knex.schema.createTable('exemptions', (t) => {
        t.text('id').primary();
        t.text('entity_ref').notNullable();
        t.text('scorecard_id').notNullable();
        t.text('rule_id').notNullable();
        t.text('reason').notNullable();
        t.text('approved_by').notNullable();
        t.timestamp('expires_at', { useTz: true }).notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.index(['entity_ref']);
      });
      // Daily snapshot per initiative, for the burn-up chart.
      await knex.schema.createTable('initiative_progress', (t) => {
        t.text('initiative_id').notNullable();
        t.date('day').notNullable();
        t.integer('passing').notNullable();
        t.integer('total').notNullable();
        t.primary(['initiative_id', 'day']);
      });
      // Daily snapshot of the level distribution per scorecard and owner, for trend charts.
      await knex.schema.createTable('daily_levels', (t) => {
        t.text('scorecard_id').notNullable();
        t.date('day').notNullable();
        t.text('owner').notNullable();
        t.text('level').notNullable();
        t.integer('entities').notNullable();
        t.double('points').notNullable();
        t.double('max_points').notNullable();
        t.primary(['scorecard_id', 'day', 'owner', 'level']);
      });
      await knex.schema.createTable('notifications', (t) => {
        t.text('id').primary();
        t.text('recipient').notNullable();
        t.text('kind').notNullable();
        t.text('title').notNullable();
        t.text('message').notNullable();
        t.text('entity_ref');
        // Same key twice (e.g. one deadline reminder per owner and day) is dropped.
        t.text('dedupe_key').unique();
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('read_at', { useTz: true });
        t.index(['recipient', 'created_at']);
      });
    },
  },
  {
    // What the last evaluation of an entity saw (entity, facts, exemptions, definitions, day):
    // a sweep skips entities whose inputs did not change.
    name: '0002_facts_input_hash',
    async up(knex) {
      await knex.schema.alterTable('facts', (t) => {
        t.text('input_hash');
      });
    },
  },
  {
    // Exemptions can be requested (by an owner, from the UI) and granted later by someone allowed
    // to; only granted ones count. Rows from before are granted.
    name: '0003_exemption_requests',
    async up(knex) {
      await knex.schema.alterTable('exemptions', (t) => {
        t.text('status').notNullable().defaultTo('granted');
        t.text('requested_by');
        t.timestamp('granted_at', { useTz: true });
        t.text('approved_by').nullable().alter();
      });
    },
  },
  {
    // Notifications moved to the notifications plugin (one store for every plugin); this table is
    // no longer read or written. Unread notifications in it are not carried over.
    name: '0004_drop_notifications',
    async up(knex) {
      await knex.schema.dropTableIfExists('notifications');
    },
  },
];
