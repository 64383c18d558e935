/** Words, trigrams and highlighting: the text handling shared by indexing and querying. */

const WORD = /[\p{L}\p{N}]+/gu;
const LETTER = /\p{L}/u;
/** Terms are cut here before anything else looks at them. */
export const MAX_TERM_CHARS = 10_240;
const MAX_TOKENS = 16;
const MAX_TOKEN_CHARS = 64;

/** The words of user text: lower-cased runs of letters and digits, at most 16 of 64 characters. */
export function tokenize(term: string): string[] {
  const words = term.slice(0, MAX_TERM_CHARS).toLowerCase().match(WORD) ?? [];
  return words.slice(0, MAX_TOKENS).map((w) => w.slice(0, MAX_TOKEN_CHARS));
}

/**
 * The last word is matched as a prefix from this many characters. A shorter one (`c`, `co`, the
 * `0` of `config-frontend-0`) would expand to a large share of the index's words, and collecting
 * their documents cost 120–280 ms at 100,000 entities while a person is still typing; it is
 * matched as a whole word, and names starting with it come from the name index instead.
 */
export const MIN_PREFIX_CHARS = 3;

/** Whether the last of `tokens` is too short to be matched as a prefix in the tsquery. */
export function lastIsShort(tokens: readonly string[]): boolean {
  const last = tokens[tokens.length - 1];
  return last !== undefined && last.length < MIN_PREFIX_CHARS;
}

/**
 * A tsquery text built only from tokens (letters and digits, quoted), never from raw input:
 * every word must match, the last one as a prefix when it has `MIN_PREFIX_CHARS` or more
 * (`pay gate` → `'pay' & 'gate':*`, `pay g` → `'pay' & 'g'`).
 */
export function toTsQueryText(tokens: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  const prefix = !lastIsShort(tokens);
  return tokens.map((t, i) => `'${t}'${i === tokens.length - 1 && prefix ? ':*' : ''}`).join(' & ');
}

/** pg_trgm-style trigrams of one word (two leading spaces, one trailing). */
export function wordTrigrams(word: string): string[] {
  const padded = `  ${word.toLowerCase()} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

/** The trigrams stored for a document: of every word of its name and title (at most 200). */
export function documentTrigrams(...texts: Array<string | undefined>): string[] {
  const out = new Set<string>();
  for (const text of texts) for (const w of text?.toLowerCase().match(WORD) ?? []) if (w.length >= 3) for (const t of wordTrigrams(w)) out.add(t);
  return [...out].slice(0, 200);
}

/**
 * The vocabulary words of a document: the distinct lower-cased words of its name and title with
 * 3+ characters and a letter in them (numbers are never corrected), as `documentTrigrams` splits them.
 */
export function vocabularyWords(...texts: Array<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const text of texts) for (const w of text?.toLowerCase().match(WORD) ?? []) if (w.length >= 3 && LETTER.test(w)) out.add(w);
  return [...out];
}

/** How much of `word` shows up in `candidate` (shared trigrams / trigrams of word), 0..1. */
export function trigramSimilarity(word: string, candidate: string): number {
  const a = wordTrigrams(word);
  const b = new Set(wordTrigrams(candidate));
  const shared = a.filter((t) => b.has(t)).length;
  return shared / (a.length + b.size - shared);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function matches(word: string, tokens: readonly string[]): boolean {
  const w = word.toLowerCase();
  return tokens.some((t) => w.startsWith(t) || (t.length >= 5 && trigramSimilarity(t, w) >= 0.45));
}

/**
 * Escaped HTML of `text` with the words matching a token wrapped in `<mark>` (a word starting with
 * a token, or close to a long one: the typo that found it). Nothing else is ever added.
 */
export function highlight(text: string, tokens: readonly string[]): { html: string; marked: boolean } {
  let html = '';
  let marked = false;
  let last = 0;
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    html += escapeHtml(text.slice(last, start));
    if (matches(m[0], tokens)) {
      html += `<mark>${escapeHtml(m[0])}</mark>`;
      marked = true;
    } else html += escapeHtml(m[0]);
    last = start + m[0].length;
  }
  html += escapeHtml(text.slice(last));
  return { html, marked };
}

/** About `width` characters of `text` around its first match (whole text when short). */
export function snippet(text: string, tokens: readonly string[], width = 240): string {
  if (text.length <= width) return text;
  let at = -1;
  for (const m of text.matchAll(WORD)) {
    if (matches(m[0], tokens)) {
      at = m.index;
      break;
    }
    if (m.index > 50_000) break;
  }
  if (at < 0) return `${text.slice(0, width).trimEnd()}…`;
  const start = Math.max(0, at - Math.floor(width / 3));
  const from = start === 0 ? 0 : text.indexOf(' ', start) + 1 || start;
  const piece = text.slice(from, from + width).trimEnd();
  return `${from > 0 ? '…' : ''}${piece}${from + width < text.length ? '…' : ''}`;
}
