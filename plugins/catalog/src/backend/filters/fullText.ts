import { InputError } from '@atrium/backend-plugin-api';
import { fieldTag, quoteLexeme, wordsOf } from '../stitching/searchRows.js';
import type { Sql } from './filterQuery.js';

/**
 * A full-text condition on `entities.fts` (Postgres text search, GIN-indexed). Every word of
 * the term must occur as a word prefix: anywhere in the entity, or in one of `fields` when
 * given (`metadata.description`, `spec.owner`, ...). Returns undefined for a term with no words.
 */
export function fullTextCondition(term: string | undefined, fields: string[] | undefined, column = 'e.fts'): Sql | undefined {
  if (term === undefined) return undefined;
  if (term.length > 200) throw new InputError('Invalid fullTextFilterTerm: at most 200 characters');
  const words = wordsOf(term).slice(0, 16);
  if (words.length === 0) return undefined;
  const keys = (fields ?? []).map((f) => f.trim().toLowerCase()).filter(Boolean);
  const query = words
    .map((w) => {
      if (keys.length === 0) return `${quoteLexeme(w)}:*`;
      return `(${keys.map((k) => `${quoteLexeme(`${fieldTag(k)}|${w}`)}:*`).join(' | ')})`;
    })
    .join(' & ');
  return { sql: `${column} @@ ?::tsquery`, bindings: [query] };
}
