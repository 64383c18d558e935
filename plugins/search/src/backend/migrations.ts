import type { Migration } from '@atrium/backend-plugin-api';
import { backfillVocabulary } from './vocabulary.js';

export const searchMigrations: Migration[] = [
  {
    name: '0001_init',
    async up(knex) {
      // One row per document. The tsvector is written with the row (weights: A title, B name,
      // ref, keywords, C tags/owner/kind/type, D text; 'simple' and 'english' lexemes both).
      // `trigrams` are the word trigrams of the name and title, for typo-tolerant matching
      // on PGlite and Postgres alike (no extension needed).
      await knex.raw(`
        create table documents (
          type text not null,
          key text not null,
          entity_ref text,
          title text not null,
          text text not null,
          location text not null,
          kind text,
          namespace text,
          name text,
          owner text,
          lifecycle text,
          tags text[] not null default '{}',
          filter_fields jsonb,
          trigrams text[] not null default '{}',
          tsv tsvector not null,
          generation bigint not null default 0,
          updated_at timestamptz not null default now(),
          primary key (type, key)
        )`);
      await knex.raw(`create index documents_tsv on documents using gin (tsv)`);
      await knex.raw(`create index documents_trigrams on documents using gin (trigrams)`);
      await knex.raw(`create index documents_name on documents (lower(name) text_pattern_ops)`);
      await knex.raw(`create index documents_entity on documents (entity_ref)`);
      await knex.raw(`create index documents_filter_fields on documents using gin (filter_fields jsonb_path_ops)`);
      await knex.raw(`
        create table index_state (
          type text primary key,
          version text not null,
          state text not null,
          generation bigint not null default 0,
          indexed integer not null default 0,
          started_at timestamptz,
          finished_at timestamptz,
          duration_ms integer,
          error text
        )`);
    },
    async down(knex) {
      await knex.raw('drop table if exists documents');
      await knex.raw('drop table if exists index_state');
    },
  },
  {
    name: '0002_build_claims',
    async up(knex) {
      // Which replica is building a type, and when it last reported progress: another replica
      // leaves a fresh build alone and takes over one whose builder stopped reporting.
      await knex.raw(`alter table index_state add column builder text, add column heartbeat_at timestamptz`);
    },
    async down(knex) {
      await knex.raw(`alter table index_state drop column builder, drop column heartbeat_at`);
    },
  },
  {
    name: '0003_candidate_indexes',
    async up(knex) {
      // A broad query is ranked among bounded candidates (searchQuery.ts): title/name/keyword/tag
      // matches come from the A-C part of the tsvector, which has its own (much smaller) GIN index;
      // exact titles from a lower(title) index, as exact names come from documents_name.
      await knex.raw(`create index if not exists documents_head_tsv on documents using gin (ts_filter(tsv, '{a,b,c}'))`);
      await knex.raw(`create index if not exists documents_title on documents (lower(title))`);
    },
    async down(knex) {
      await knex.raw('drop index if exists documents_head_tsv');
      await knex.raw('drop index if exists documents_title');
    },
  },
  {
    name: '0004_vocabulary',
    async up(knex) {
      // The distinct words of the documents' names and titles with their trigrams (vocabulary.ts):
      // a typo is matched against these, then the documents are found by the close words. Filled
      // here from the documents already indexed, so no rebuild is needed.
      await knex.raw(`create table vocabulary (word text primary key, trigrams text[] not null)`);
      await knex.raw(`create index vocabulary_trigrams on vocabulary using gin (trigrams)`);
      await backfillVocabulary(knex);
      // Typos no longer look for documents by their trigrams (the trigrams column stays: it
      // scores the candidates), so its GIN index only cost writes and space.
      await knex.raw('drop index if exists documents_trigrams');
    },
    async down(knex) {
      await knex.raw('create index if not exists documents_trigrams on documents using gin (trigrams)');
      await knex.raw('drop table if exists vocabulary');
    },
  },
];
