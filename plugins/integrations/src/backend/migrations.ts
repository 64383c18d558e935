import type { Migration } from '@atrium/backend-plugin-api';

/** Each module adds its own migrations after these (names keep the order). */
export const integrationsMigrations: Migration[] = [
  {
    name: '0001_integrations',
    async up(knex) {
      // Integrations an admin added through the API. Credentials are encrypted (secretBox).
      await knex.schema.createTable('integrations', (t) => {
        t.uuid('id').primary();
        t.text('kind').notNullable(); // github | gitlab
        t.text('name').notNullable();
        t.text('host').notNullable();
        t.text('api_base_url').notNullable();
        t.text('auth_type').notNullable(); // token | app
        t.text('credentials').notNullable(); // encrypted JSON
        t.jsonb('discovery');
        t.jsonb('last_test');
        t.text('created_by').notNullable();
        t.timestamp('created_at', { useTz: true }).notNullable();
        t.timestamp('updated_at', { useTz: true }).notNullable();
        t.unique(['kind', 'name']);
      });
    },
  },
  {
    name: '0002_github_discovery',
    async up(knex) {
      // One row per discovery target (config or admin-added): scan progress, rate-limit pause.
      await knex.schema.createTable('github_targets', (t) => {
        t.text('id').primary();
        t.text('status').notNullable().defaultTo('idle'); // idle | scanning | paused | error
        t.integer('next_page').notNullable().defaultTo(1);
        t.timestamp('paused_until', { useTz: true });
        t.text('pause_reason');
        t.text('last_error');
        t.timestamp('scan_started_at', { useTz: true });
        t.timestamp('scan_finished_at', { useTz: true });
        t.integer('repos_seen').notNullable().defaultTo(0);
        t.integer('rate_remaining');
        t.integer('rate_limit');
        t.timestamp('rate_reset_at', { useTz: true });
        t.bigInteger('api_calls').notNullable().defaultTo(0);
      });
      // The repository list, page by page, with the ETag GitHub sent (a 304 reuses `repos`).
      await knex.schema.createTable('github_list_pages', (t) => {
        t.text('target_id').notNullable();
        t.integer('page').notNullable();
        t.text('etag');
        t.jsonb('repos').notNullable();
        t.boolean('last').notNullable();
        t.primary(['target_id', 'page']);
      });
      // What discovery knows per repository: its descriptor's ETag and the entities it yielded.
      await knex.schema.createTable('github_repos', (t) => {
        t.text('target_id').notNullable();
        t.bigInteger('repo_id').notNullable();
        t.text('full_name').notNullable();
        t.text('default_branch');
        t.text('pushed_at');
        t.boolean('included').notNullable();
        t.jsonb('meta').notNullable();
        t.jsonb('etags').notNullable(); // { [path]: etag }
        t.jsonb('entities').notNullable(); // DeferredEntity[] from descriptors
        t.jsonb('generated'); // the generated Component, when it has no descriptor
        t.jsonb('errors').notNullable(); // [{ path, message }]
        t.boolean('has_descriptor').notNullable().defaultTo(false);
        t.timestamp('checked_at', { useTz: true });
        t.primary(['target_id', 'repo_id']);
        t.index(['target_id', 'full_name']);
      });
      // Webhook delivery ids seen (X-GitHub-Delivery): a replay is ignored.
      await knex.schema.createTable('webhook_deliveries', (t) => {
        t.text('source').notNullable();
        t.text('delivery_id').notNullable();
        t.text('event').notNullable();
        t.timestamp('received_at', { useTz: true }).notNullable();
        t.primary(['source', 'delivery_id']);
        t.index(['received_at']);
      });
      // Teams and members of synced orgs (Group/User entities).
      await knex.schema.createTable('github_org_entities', (t) => {
        t.text('target_id').primary();
        t.jsonb('entities').notNullable();
        t.timestamp('synced_at', { useTz: true }).notNullable();
      });
    },
  },
];
