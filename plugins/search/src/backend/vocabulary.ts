import type { Db } from '@atrium/backend-plugin-api';
import { vocabularyWords, wordTrigrams } from './text.js';

/**
 * The vocabulary: every distinct word (3+ characters, with a letter) of the documents' names and
 * titles, with its trigrams. A typo is matched against it (a few thousand words) rather than
 * against every document, then the documents holding the close words are found by word.
 *
 * Words are added in the statement that writes their documents (`insert … on conflict do
 * nothing`: idempotent, so replicas applying the same change agree). Words no document holds any
 * more are pruned after the write that dropped them (a removal, a renamed title) and swept after
 * every full build; a leftover word is harmless (the documents are asked by word, so it finds none).
 */

const WORD_ONLY = /^[\p{L}\p{N}]+$/u;

/** The rows to add for `words`, sorted (concurrent writers then take the same order). */
export function vocabularyRows(words: Iterable<string>): Array<{ word: string; trigrams: string[] }> {
  return [...new Set(words)].sort().map((word) => ({ word, trigrams: wordTrigrams(word) }));
}

/** A `with` item adding the words of one binding (`[{ word, trigrams }]` as jsonb) to the vocabulary. */
export const VOCABULARY_INSERT = `insert into vocabulary (word, trigrams)
  select v.word, v.trigrams from jsonb_to_recordset(?::jsonb) as v(word text, trigrams text[]) order by v.word
  on conflict (word) do nothing`;

/**
 * Whether some document's title, name, keywords or tags hold the word, through the
 * `documents_head_tsv` index (the name and title words are lexemes of the `simple` configuration).
 */
const HELD = `exists (select 1 from documents d where ts_filter(d.tsv, '{a,b,c}') @@ to_tsquery('simple', quote_literal(w.word)))`;

/**
 * Deletes the words (all of them when `candidates` is absent) that no document holds. Runs in its
 * own transaction after the writes that dropped the words have committed, with the vocabulary
 * locked against writers (`exclusive`: reads go on), so a word a concurrent write is adding is
 * never pruned under it. Returns how many were deleted.
 */
export async function pruneVocabulary(db: Db, candidates?: readonly string[]): Promise<number> {
  const words = candidates ? [...new Set(candidates)].filter((w) => WORD_ONLY.test(w)).sort() : undefined;
  if (words && words.length === 0) return 0;
  return db.transaction(async (trx) => {
    await trx.raw('lock table vocabulary in exclusive mode');
    // One GIN probe per word, never a scan of the documents.
    await trx.raw('set local enable_seqscan = off');
    const r = (await trx.raw(
      `delete from vocabulary w where ${words ? 'w.word = any(?::text[]) and' : ''} not ${HELD} returning w.word`,
      words ? [words] : [],
    )) as { rows: unknown[] };
    return r.rows.length;
  });
}

/** Fills the vocabulary from the documents already indexed (the migration that adds it). */
export async function backfillVocabulary(db: Db, batch = 5000): Promise<number> {
  const seen = new Set<string>();
  let after: [string, string] | undefined;
  for (;;) {
    const r = (await db.raw(
      `select type, key, name, title from documents ${after ? 'where (type, key) > (?, ?)' : ''} order by type, key limit ${batch}`,
      after ?? [],
    )) as { rows: Array<{ type: string; key: string; name: string | null; title: string }> };
    if (r.rows.length === 0) return seen.size;
    const fresh: string[] = [];
    for (const row of r.rows)
      for (const w of vocabularyWords(row.name, row.title))
        if (!seen.has(w)) {
          seen.add(w);
          fresh.push(w);
        }
    for (let i = 0; i < fresh.length; i += 1000) await db.raw(VOCABULARY_INSERT, [JSON.stringify(vocabularyRows(fresh.slice(i, i + 1000)))]);
    const last = r.rows[r.rows.length - 1];
    if (!last) return seen.size;
    after = [last.type, last.key];
  }
}

/**
 * The vocabulary words close to each likely typo: sharing at least half of its trigrams (as the
 * documents are then checked), at most `perWord` a word, the closest first.
 */
export async function closeWords(db: Db, typos: readonly string[], minShare: number, perWord = 32): Promise<string[]> {
  if (typos.length === 0) return [];
  const bindings: unknown[] = [];
  const parts = typos.map((t) => {
    const trigrams = wordTrigrams(t);
    bindings.push(trigrams, trigrams, Math.ceil(trigrams.length * minShare), perWord);
    return `(select word from (select v.word, (select count(*) from unnest(v.trigrams) g where g = any(?::text[])) as n
      from vocabulary v where v.trigrams && ?::text[]) x where n >= ? order by n desc, word limit ?)`;
  });
  const r = (await db.raw(parts.join(' union '), bindings as never[])) as { rows: Array<{ word: string }> };
  return [...new Set(r.rows.map((x) => x.word))].filter((w) => WORD_ONLY.test(w)).sort();
}
