import type { Migration } from '@atrium/backend-plugin-api';

/**
 * The catalog's tables, in the plugin's own schema (search_path). Written for Postgres 15
 * and later (PGlite is 18). search and relations have no foreign keys on purpose: they are
 * rewritten in bulk and always deleted together with their entity by the store.
 */
const init: Migration = {
  name: '0001_init',
  async up(knex) {
    await knex.raw(`
      create table locations (
        id uuid primary key,
        type text not null,
        target text not null,
        source text not null check (source in ('config', 'api')),
        presence text not null default 'required',
        rules jsonb,
        content_hash text,
        revision text,
        files jsonb,
        fingerprint text,
        errors jsonb not null default '[]'::jsonb,
        entity_count integer not null default 0,
        last_read_at timestamptz,
        next_refresh_at timestamptz not null default now(),
        force_refresh boolean not null default false,
        claimed_by text,
        claim_expires_at timestamptz,
        created_at timestamptz not null default now(),
        unique (type, target)
      )`);
    await knex.raw(`create index locations_due on locations (next_refresh_at)`);

    // One row per entity a location yields: the processed input. Written only when it changes.
    await knex.raw(`
      create table entities (
        id uuid primary key,
        entity_ref text not null unique,
        location_id uuid references locations(id) on delete set null,
        source_file text,
        parent_ref text,
        processed jsonb not null,
        hash text not null,
        errors jsonb not null default '[]'::jsonb,
        orphan boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    await knex.raw(`create index entities_location on entities (location_id)`);

    // The served (stitched) entity, kept apart so processing and stitching each write one narrow
    // row set; fts is its full-text document.
    await knex.raw(`
      create table final_entities (
        entity_id uuid primary key references entities(id) on delete cascade,
        final jsonb not null,
        etag text not null,
        fts tsvector not null,
        updated_at timestamptz not null default now()
      )`);
    // A larger pending list lets bulk stitching append to the GIN index cheaply; the vacuum after a
    // bulk stitch merges it.
    await knex.raw(`create index final_entities_fts on final_entities using gin (fts) with (gin_pending_list_limit = 16384)`);

    // Entities whose final form must be rebuilt. A processing transaction inserts; a stitcher
    // claims rows FOR UPDATE SKIP LOCKED and deletes them when done.
    await knex.raw(`create table stitch_queue (entity_ref text primary key, queued_at timestamptz not null default now())`);

    // Each relation row is produced by one entity's processing (the originating entity);
    // a spec field yields a forward row from it and an inverse row from the target.
    await knex.raw(`
      create table relations (
        originating_entity_id uuid not null,
        source_ref text not null,
        type text not null,
        target_ref text not null
      )`);
    await knex.raw(`create index relations_source on relations (source_ref)`);
    await knex.raw(`create index relations_target on relations (target_ref)`);
    await knex.raw(`create index relations_origin on relations (originating_entity_id)`);

    // Flattened final entities for filters, ordering and facets: lower-cased key and value,
    // original_value only where its case differs. value is null when longer than 200 chars.
    await knex.raw(`
      create table search (
        entity_id uuid not null,
        key text not null,
        value text,
        original_value text
      )`);
    // original_value is included so facet counts are answered from the index alone.
    await knex.raw(`create index search_key_value on search (key, value, entity_id) include (original_value)`);
    // key and value are strongly correlated (kind=component is common, metadata.name=x is not):
    // without these statistics the planner multiplies the two selectivities and picks bad plans.
    await knex.raw(`create statistics search_key_value_stats (mcv, dependencies) on key, value from search`);
    await knex.raw(`create index search_entity on search (entity_id)`);
  },
  async down(knex) {
    for (const t of ['search', 'relations', 'stitch_queue', 'final_entities', 'entities', 'locations']) await knex.raw(`drop table if exists ${t}`);
  },
};

/** The catalog's generation (see store/generation.ts). */
const generation: Migration = {
  name: '0002_generation',
  async up(knex) {
    await knex.raw(`create sequence catalog_generation`);
  },
  async down(knex) {
    await knex.raw(`drop sequence if exists catalog_generation`);
  },
};

/**
 * A bulk stitch appends to the full-text index's pending list; merging it into the index is the
 * expensive part, and a larger list leaves that to the vacuum after the stitch (and to the
 * catalog.sweep job in steady state) instead of to inserts that readers wait for.
 */
const ginPending: Migration = {
  name: '0003_fts_pending_list',
  async up(knex) {
    await knex.raw(`alter index final_entities_fts set (gin_pending_list_limit = 131072)`);
  },
  async down(knex) {
    await knex.raw(`alter index final_entities_fts set (gin_pending_list_limit = 16384)`);
  },
};

/**
 * Refs, filter keys and values compare bytewise (collation "C"): every index on them is
 * maintained with memcmp instead of the locale's collation (a fifth cheaper to insert into),
 * and `like 'prefix%'` filters can use the indexes. Keys and values are lower-cased already,
 * so sorting by a field changes only for non-ASCII letters.
 */
const bytewise: Migration = {
  name: '0004_bytewise_text',
  async up(knex) {
    await knex.raw(`alter table search alter column key type text collate "C", alter column value type text collate "C"`);
    await knex.raw(`alter table relations alter column source_ref type text collate "C", alter column target_ref type text collate "C"`);
    await knex.raw(`alter table entities alter column entity_ref type text collate "C"`);
    await knex.raw(`alter table stitch_queue alter column entity_ref type text collate "C"`);
  },
  async down(knex) {
    await knex.raw(`alter table search alter column key type text collate "default", alter column value type text collate "default"`);
    await knex.raw(`alter table relations alter column source_ref type text collate "default", alter column target_ref type text collate "default"`);
    await knex.raw(`alter table entities alter column entity_ref type text collate "default"`);
    await knex.raw(`alter table stitch_queue alter column entity_ref type text collate "default"`);
  },
};

/**
 * The processed and the final entity are stored and returned whole, never queried inside, so
 * they are json (kept as text) rather than jsonb: no conversion to and from the binary form
 * on every write, stitch and read.
 */
const jsonText: Migration = {
  name: '0005_entities_as_json_text',
  async up(knex) {
    await knex.raw(`alter table entities alter column processed type json using processed::json`);
    await knex.raw(`alter table final_entities alter column final type json using final::json`);
  },
  async down(knex) {
    await knex.raw(`alter table entities alter column processed type jsonb using processed::jsonb`);
    await knex.raw(`alter table final_entities alter column final type jsonb using final::jsonb`);
  },
};

/**
 * Why an entity could not be stitched (its final form built or stored), e.g. a value Postgres
 * refuses. The entity is taken off the stitch queue so it cannot hold up the others; the
 * reason shows on its location's status until a later stitch of it succeeds.
 */
const stitchError: Migration = {
  name: '0006_entities_stitch_error',
  async up(knex) {
    await knex.raw(`alter table entities add column stitch_error text`);
  },
  async down(knex) {
    await knex.raw(`alter table entities drop column if exists stitch_error`);
  },
};

/**
 * Entity providers: an entity is owned by a location (location_id) or by a provider (provider,
 * with the provider's location_key), never both; entity_providers keeps each provider's status.
 */
const entityProviders: Migration = {
  name: '0007_entity_providers',
  async up(knex) {
    await knex.raw(`alter table entities add column provider text, add column location_key text`);
    await knex.raw(`create index entities_provider on entities (provider) where provider is not null`);
    await knex.raw(`
      create table entity_providers (
        name text primary key,
        last_mutation_at timestamptz,
        last_mutation_type text,
        mutation_count integer not null default 0,
        entity_count integer not null default 0,
        errors jsonb not null default '[]'::jsonb,
        created_at timestamptz not null default now()
      )`);
  },
  async down(knex) {
    await knex.raw(`drop table if exists entity_providers`);
    await knex.raw(`drop index if exists entities_provider`);
    await knex.raw(`alter table entities drop column if exists provider, drop column if exists location_key`);
  },
};

/**
 * Metadata overlays: annotations and labels set on an entity through the catalog
 * (CatalogService.setEntityOverlay, POST /entities/by-name/…/overlay) by someone other than its
 * source, one row per entity and source (`automation:<id>`, `api`, …). The stitcher merges them
 * into the served entity; keys the entity's own source sets win. Keyed by the entity's id, so
 * deleting the entity deletes its overlays.
 */
const entityOverlays: Migration = {
  name: '0008_entity_overlays',
  async up(knex) {
    await knex.raw(`
      create table entity_overlays (
        entity_id uuid not null references entities(id) on delete cascade,
        source text not null,
        annotations jsonb not null default '{}'::jsonb,
        labels jsonb not null default '{}'::jsonb,
        updated_by text,
        updated_at timestamptz not null default now(),
        -- The automation hop count of the last change (see EntityOverlayOptions.hop), until the
        -- stitch that serves it carries it on in its event's meta and clears it.
        pending_hop integer,
        primary key (entity_id, source)
      )`);
  },
  async down(knex) {
    await knex.raw(`drop table if exists entity_overlays`);
  },
};

/**
 * Full-text field tags become short (see stitching/searchRows.ts fieldTag): every served entity's
 * tagged lexemes `~<field key>|<word>` are rewritten to `~<first 8 hex digits of md5(key)>|<word>`,
 * the tag the stitcher now writes. Words hold no `|`, so the key is everything before the last one.
 * The index is dropped and built again afterwards: one bulk build instead of an update per entry.
 */
const shortFieldTags: Migration = {
  name: '0009_fts_short_field_tags',
  async up(knex) {
    await knex.raw(`drop index final_entities_fts`);
    await knex.raw(`
      update final_entities f set fts = coalesce((
        select array_to_tsvector(array_agg(
          case when l ~ '^~.*[|][^|]*$' then '~' || left(md5(substring(l from '^~(.*)[|][^|]*$')), 8) || substring(l from '[|][^|]*$') else l end))
        from unnest(tsvector_to_array(f.fts)) as l), ''::tsvector)
      where f.fts::text like '%~%'`);
    await knex.raw(`create index final_entities_fts on final_entities using gin (fts) with (gin_pending_list_limit = 131072)`);
  },
  // The keys cannot be read back from their tags: every entity is stitched again (its etag cleared).
  async down(knex) {
    await knex.raw(`update final_entities set etag = ''`);
    await knex.raw(`insert into stitch_queue (entity_ref) select entity_ref from entities on conflict do nothing`);
  },
};

export const catalogMigrations: Migration[] = [init, generation, ginPending, bytewise, jsonText, stitchError, entityProviders, entityOverlays, shortFieldTags];
