import type { Db, SearchDocument } from '@atrium/backend-plugin-api';
import { ownerRef } from './queryParams.js';
import { documentTrigrams, vocabularyWords } from './text.js';
import { pruneVocabulary, VOCABULARY_INSERT, vocabularyRows } from './vocabulary.js';

const BATCH = 500;
const WORD = /[\p{L}\p{N}]+/gu;
/** The text with its own words and, after them, its words split as the query tokenizer splits them. */
const words = (text: string): string => `${text.slice(0, 10_000)} ${(text.slice(0, 10_000).match(WORD) ?? []).join(' ')}`;
const MAX_TEXT = 100_000;

/** The weighted tsvector of a row of `r` (the jsonb_to_recordset alias). */
const TSV = `
  setweight(to_tsvector('simple', r.title_words), 'A') || setweight(to_tsvector('english', r.title_words), 'A') ||
  setweight(to_tsvector('simple', r.keywords), 'B') ||
  setweight(to_tsvector('simple', array_to_string(r.tags, ' ') || ' ' || coalesce(r.owner, '') || ' ' || coalesce(r.kind, '') || ' ' || r.type), 'C') ||
  setweight(to_tsvector('english', r.text), 'D')`;

const COLUMNS =
  'type, key, entity_ref, title, text, location, kind, namespace, name, owner, lifecycle, tags, filter_fields, trigrams, tsv, generation, updated_at';

/**
 * Writes and removes documents of one type (every write is one statement per 500 documents), and
 * keeps the vocabulary of their names and titles (`vocabulary.ts`): new words are added in the
 * statement that writes the documents; words of removed documents are pruned once the removal has
 * committed, and every full build sweeps the words no document holds.
 */
export class DocumentStore {
  constructor(private readonly db: Db) {}

  async upsert(type: string, docs: readonly SearchDocument[], generation: number, trx: Db = this.db): Promise<void> {
    for (let i = 0; i < docs.length; i += BATCH) {
      const batchWords = new Set<string>();
      const rows = docs.slice(i, i + BATCH).map((d) => {
        const title = d.title.slice(0, 1000);
        for (const w of vocabularyWords(d.name, title)) batchWords.add(w);
        return {
          type,
          key: d.key,
          entity_ref: d.entityRef ?? null,
          title,
          text: d.text.slice(0, MAX_TEXT),
          location: d.location,
          kind: d.kind ?? null,
          namespace: d.namespace ?? null,
          name: d.name ?? null,
          owner: d.owner ? ownerRef(d.owner) : null,
          lifecycle: d.lifecycle ?? null,
          tags: d.tags ?? [],
          // Words as the query tokenizer sees them (Postgres' parser keeps `node.js` or `a-b` whole).
          title_words: words(d.title),
          keywords: words([d.name ?? '', ...(d.keywords ?? [])].join(' ')).slice(0, 10_000),
          filter_fields: d.filterFields ?? null,
          trigrams: documentTrigrams(d.name, d.title),
        };
      });
      // One statement: the new words of the names and titles, and the documents. (A word a rename
      // dropped stays until the next full build sweeps it: pruning on every upsert cost ~10 ms.)
      await trx.raw(
        `with vocab as (${VOCABULARY_INSERT})
         insert into documents (${COLUMNS})
         select r.type, r.key, r.entity_ref, r.title, r.text, r.location, r.kind, r.namespace, r.name, r.owner, r.lifecycle,
           r.tags, r.filter_fields, r.trigrams, ${TSV}, ?, now()
         from jsonb_to_recordset(?::jsonb) as r(type text, key text, entity_ref text, title text, text text, location text, kind text,
           namespace text, name text, owner text, lifecycle text, tags text[], title_words text, keywords text, filter_fields jsonb, trigrams text[])
         on conflict (type, key) do update set ${COLUMNS.split(', ')
           .filter((c) => c !== 'type' && c !== 'key')
           .map((c) => `${c} = excluded.${c}`)
           .join(', ')}`,
        [JSON.stringify(vocabularyRows(batchWords)), generation, JSON.stringify(rows)],
      );
    }
  }

  async remove(type: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const r = (await this.db.raw(`delete from documents where type = ? and key = any(?::text[]) returning name, title`, [type, [...keys]])) as {
      rows: Array<{ name: string | null; title: string }>;
    };
    await this.prune(r.rows.flatMap((o) => vocabularyWords(o.name, o.title)));
  }

  async replaceForEntity(type: string, entityRef: string, docs: readonly SearchDocument[]): Promise<void> {
    const dropped = await this.db.transaction(async (trx) => {
      const keep = docs.map((d) => d.key);
      const r = (await trx.raw(
        `delete from documents where type = ? and entity_ref = ? ${keep.length > 0 ? 'and not (key = any(?::text[]))' : ''} returning name, title`,
        keep.length > 0 ? [type, entityRef, keep] : [type, entityRef],
      )) as { rows: Array<{ name: string | null; title: string }> };
      const gone = r.rows.flatMap((o) => vocabularyWords(o.name, o.title));
      await this.upsert(type, docs, await this.generationOf(type, trx), trx);
      return gone;
    });
    await this.prune(dropped);
  }

  /** Words a write dropped: deleted when no document holds them any more (after the write committed). */
  private async prune(candidates: string[]): Promise<void> {
    if (candidates.length > 0) await pruneVocabulary(this.db, candidates);
  }

  async generationOf(type: string, trx: Db = this.db): Promise<number> {
    const row = await trx('index_state').where({ type }).first('generation');
    return Number(row?.generation ?? 0);
  }

  /** After a full build: what the build did not write is gone, and so are the words no document holds. */
  async removeOlder(type: string, generation: number): Promise<number> {
    const removed = await this.db('documents').where({ type }).where('generation', '<', generation).delete();
    // The periodic sweep: every word no document holds (also any a lost race left behind).
    await pruneVocabulary(this.db);
    return removed;
  }

  async counts(): Promise<Map<string, number>> {
    const rows = await this.db('documents').select('type').count<{ type: string; count: string }[]>('* as count').groupBy('type');
    return new Map(rows.map((r) => [r.type, Number(r.count)]));
  }
}
