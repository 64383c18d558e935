import { createHash } from 'node:crypto';
import { DEFAULT_NAMESPACE, type Entity } from '@atrium/catalog-model';

/** One row of the filter index: lower-cased key and value; original_value when case differs. */
export interface SearchRow {
  key: string;
  value: string | null;
  original: string | null;
}

const MAX_KEY = 200;
const MAX_VALUE = 200;
const SKIPPED = new Set(['attachments', 'relations', 'status', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.etag']);

/**
 * Flattens a final entity into filter rows with Backstage's semantics: dot paths to every
 * scalar (array items under the array's path), `relations.<type>` = target ref, keys and
 * values lower-cased, values longer than 200 characters stored as null (the key still
 * matches existence), keys longer than 200 dropped. `metadata.tags.java`-style existence
 * filters are answered at query time from the `metadata.tags=java` row.
 */
export function buildSearchRows(entity: Entity): SearchRow[] {
  const rows = new Map<string, SearchRow>();
  const add = (key: string, raw: unknown) => {
    const k = key.toLowerCase();
    if (k.length > MAX_KEY) return;
    let value: string | null = null;
    let original: string | null = null;
    if (raw !== null && raw !== undefined) {
      const text = String(raw);
      if (text.length <= MAX_VALUE) {
        value = text.toLowerCase();
        original = value === text ? null : text;
      }
    }
    const id = `${k}\u0000${value ?? '\u0001'}`;
    if (!rows.has(id)) rows.set(id, { key: k, value, original });
  };
  const walk = (path: string, current: unknown) => {
    if (SKIPPED.has(path)) return;
    if (current === undefined) return;
    if (Array.isArray(current)) {
      for (const item of current) walk(path, item);
      return;
    }
    if (current !== null && typeof current === 'object') {
      for (const [k, v] of Object.entries(current)) walk(path ? `${path}.${k}` : k, v);
      return;
    }
    add(path, current);
  };
  walk('', entity);
  add('metadata.name', entity.metadata.name);
  add('metadata.namespace', entity.metadata.namespace ?? DEFAULT_NAMESPACE);
  if (entity.metadata.uid) add('metadata.uid', entity.metadata.uid);
  for (const r of entity.relations ?? []) add(`relations.${r.type}`, r.targetRef);
  return [...rows.values()];
}

const WORD = /[\p{L}\p{N}]+/gu;
const MAX_TEXT = 2000;
const MAX_LEXEMES = 4000;
/** Keys that are identifiers or bookkeeping, not text anyone searches for. */
const NOT_TEXT = new Set([
  'apiversion',
  'metadata.uid',
  'metadata.etag',
  'metadata.annotations.backstage.io/managed-by-location',
  'metadata.annotations.backstage.io/managed-by-origin-location',
]);

/** Words of a text as full-text lexemes: lower-cased runs of letters and digits. */
export function wordsOf(text: string): string[] {
  return text.slice(0, MAX_TEXT).toLowerCase().match(WORD) ?? [];
}

/** Field tags computed so far (field keys repeat across entities); cleared when it grows this large. */
const TAG_CACHE_MAX = 10_000;
const tagCache = new Map<string, string>();

/**
 * The tag a field's words carry in the full-text document: `~` and the first 8 hex digits of the
 * MD5 of the lower-cased field key (`metadata.description` → `~451cac8a`). A tag of fixed, short
 * length instead of the key itself keeps the document and its GIN index about a third smaller
 * (annotation keys run to 50 characters); two keys sharing a tag would only widen a field-limited
 * search to both fields. The catalog migration 0009 computes the same tag in SQL (`md5`).
 */
export function fieldTag(key: string): string {
  let tag = tagCache.get(key);
  if (tag === undefined) {
    if (tagCache.size >= TAG_CACHE_MAX) tagCache.clear();
    tag = `~${createHash('md5').update(key, 'utf8').digest('hex').slice(0, 8)}`;
    tagCache.set(key, tag);
  }
  return tag;
}

/** Separates the lexemes of a full-text document on their way to `array_to_tsvector` (see writeFinal). */
export const LEXEME_SEPARATOR = '\u001d';

/**
 * The entity's full-text lexemes. Each word appears bare (`payment`) and tagged with its field
 * (`~451cac8a|payment`, see fieldTag), so one GIN index answers both "anywhere" and "in these
 * fields" searches; the `~` keeps bare prefixes from matching tags. Lexemes hold only letters,
 * digits, `~` and `|`, so they need no quoting on their way to Postgres.
 */
export function buildFullTextDocument(entity: Entity, rows: SearchRow[]): string[] {
  const lexemes = new Set<string>();
  const addText = (key: string, text: string) => {
    const tag = `${fieldTag(key)}|`;
    for (const w of wordsOf(text)) {
      if (lexemes.size >= MAX_LEXEMES) return;
      if (w.length > 100) continue;
      lexemes.add(w);
      lexemes.add(tag + w);
    }
  };
  for (const row of rows) {
    // Relation rows repeat the refs already in spec; leaving them out keeps the GIN index lean.
    if (NOT_TEXT.has(row.key) || row.key.startsWith('relations.')) continue;
    if (row.value !== null) addText(row.key, row.value);
  }
  // Long texts (descriptions) have a null filter value but still deserve full-text search.
  const description = entity.metadata.description;
  if (typeof description === 'string' && description.length > MAX_VALUE) addText('metadata.description', description);
  return [...lexemes];
}

export function quoteLexeme(lexeme: string): string {
  // Words and tags never hold quotes or backslashes; kept general for any lexeme.
  if (!lexeme.includes("'") && !lexeme.includes('\\')) return `'${lexeme}'`;
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
