import type { Migration } from '@atrium/backend-plugin-api';

/** The GitLab module's tables (after the plugin's own migrations; names keep the order). */
export const gitlabMigrations: Migration[] = [
  {
    name: '0100_gitlab_discovery',
    async up(knex) {
      // One row per discovery target: where the scan is, and a rate-limit pause, so a restart resumes.
      await knex.schema.createTable('gitlab_targets', (t) => {
        t.text('id').primary();
        t.text('status').notNullable().defaultTo('idle'); // idle | scanning | paused | error
        t.text('scan_id');
        t.integer('next_page').notNullable().defaultTo(1);
        t.timestamp('paused_until', { useTz: true });
        t.text('pause_reason');
        t.text('last_error');
        t.timestamp('scan_started_at', { useTz: true });
        t.timestamp('scan_finished_at', { useTz: true });
        t.integer('projects_seen').notNullable().defaultTo(0);
        t.integer('rate_limit');
        t.integer('rate_remaining');
        t.timestamp('rate_reset_at', { useTz: true });
        t.bigInteger('api_calls').notNullable().defaultTo(0);
      });
      // What discovery knows per project: the activity stamp and descriptor blob it last read, and what that yielded.
      await knex.schema.createTable('gitlab_projects', (t) => {
        t.text('target_id').notNullable();
        t.bigInteger('project_id').notNullable();
        t.text('path_with_namespace').notNullable();
        t.text('web_url').notNullable();
        t.text('default_branch');
        t.text('last_activity_at');
        t.boolean('included').notNullable();
        t.text('blob_id');
        t.boolean('has_descriptor').notNullable().defaultTo(false);
        t.jsonb('entities').notNullable(); // DeferredEntity[]
        t.jsonb('errors').notNullable(); // [{ path?, message }]
        t.text('seen_scan');
        t.timestamp('checked_at', { useTz: true });
        t.primary(['target_id', 'project_id']);
        t.index(['target_id', 'path_with_namespace']);
      });
      // The last group sync of a target (Group and User entities).
      await knex.schema.createTable('gitlab_org_entities', (t) => {
        t.text('target_id').primary();
        t.jsonb('entities').notNullable();
        t.text('last_error');
        t.timestamp('synced_at', { useTz: true });
      });
    },
  },
];
