import type { Migration } from '@atrium/backend-plugin-api';

/**
 * TechDocs' tables, in the plugin's own schema. Written for Postgres 15 and later (PGlite is 18).
 * `docs_entities` is the plugin's view of catalog entities that have docs plus their build
 * state; `sites`, `site_pages` and `site_assets` hold published sites when storage is the
 * database; `search_sections` is the full-text index (always in the database).
 */
const init: Migration = {
  name: '0001_init',
  async up(knex) {
    await knex.raw(`
      create table docs_entities (
        entity_ref text primary key,
        namespace text not null,
        kind text not null,
        name text not null,
        title text not null,
        description text,
        owner text,
        spec_type text,
        lifecycle text,
        techdocs_ref text not null,
        location_ref text,
        site_name text,
        build_requested_at timestamptz,
        force_build boolean not null default false,
        claimed_by text,
        claim_expires_at timestamptz,
        source_hash text,
        revision text,
        built_at timestamptz,
        last_result text,
        last_build_started_at timestamptz,
        last_build_finished_at timestamptz,
        last_build_duration_ms integer,
        warning_count integer not null default 0,
        error_count integer not null default 0,
        log jsonb not null default '[]'::jsonb,
        updated_at timestamptz not null default now()
      )`);
    await knex.raw(`create index docs_entities_due on docs_entities (build_requested_at) where build_requested_at is not null`);
    await knex.raw(`create index docs_entities_owner on docs_entities (owner)`);
    await knex.raw(`create index docs_entities_title on docs_entities (lower(title), entity_ref)`);

    await knex.raw(`
      create table sites (
        entity_ref text primary key,
        meta text not null,
        etag text not null,
        built_at timestamptz not null default now()
      )`);
    await knex.raw(`
      create table site_pages (
        entity_ref text not null,
        route text not null,
        doc text not null,
        etag text not null,
        primary key (entity_ref, route)
      )`);
    await knex.raw(`
      create table site_assets (
        entity_ref text not null,
        path text not null,
        content bytea not null,
        content_type text not null,
        etag text not null,
        primary key (entity_ref, path)
      )`);
    await knex.raw(`
      create table search_sections (
        entity_ref text not null,
        route text not null,
        position integer not null,
        page_title text not null,
        anchor text,
        heading text,
        body text not null,
        tsv tsvector generated always as (
          setweight(to_tsvector('english', page_title), 'A') ||
          setweight(to_tsvector('english', coalesce(heading, '')), 'B') ||
          setweight(to_tsvector('english', body), 'C')
        ) stored,
        primary key (entity_ref, route, position)
      )`);
    await knex.raw(`create index search_sections_tsv on search_sections using gin (tsv)`);
  },
  async down(knex) {
    for (const t of ['search_sections', 'site_assets', 'site_pages', 'sites', 'docs_entities']) await knex.raw(`drop table if exists ${t}`);
  },
};

/**
 * The build queue's two heads, each an index in claim order so a claim reads only the rows it
 * takes: unclaimed requests (forced first, then oldest) and claims whose lease expired. The first
 * replaces `docs_entities_due`, which nothing else read.
 */
const buildQueueIndexes: Migration = {
  name: '0002_build_queue_indexes',
  async up(knex) {
    await knex.raw(
      `create index docs_entities_queue on docs_entities (force_build desc, build_requested_at)
       where build_requested_at is not null and claimed_by is null`,
    );
    await knex.raw(`create index docs_entities_leases on docs_entities (claim_expires_at) where claimed_by is not null`);
    await knex.raw(`drop index if exists docs_entities_due`);
  },
  async down(knex) {
    await knex.raw(`create index if not exists docs_entities_due on docs_entities (build_requested_at) where build_requested_at is not null`);
    await knex.raw(`drop index if exists docs_entities_leases`);
    await knex.raw(`drop index if exists docs_entities_queue`);
  },
};

export const techdocsMigrations: Migration[] = [init, buildQueueIndexes];
