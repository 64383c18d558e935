import type { Knex } from 'knex';
import { docsPagePath, type DocsSearchResult } from '../../common/index.js';
import type { BuiltPage } from '../build/types.js';

const START = '\u27e6';
const STOP = '\u27e7';
const INSERT_BATCH = 500;

/** Turns user text into a prefix-matching tsquery (`pay gate` → `pay:* & gate:*`), or null if it has no words. */
export function toTsQuery(term: string): string | null {
  const words = (term.match(/[\p{L}\p{N}_]+/gu) ?? []).slice(0, 12).map((w) => w.slice(0, 60).toLowerCase());
  return words.length > 0 ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** ts_headline output (markers around matches) → escaped HTML with `<mark>`. */
export function snippetHtml(raw: string): string {
  const escaped = raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.split(START).join('<mark>').split(STOP).join('</mark>');
}

export interface SearchQuery {
  term: string;
  entityRef?: string;
  /** Only sections of these entities (the caller's readable ones); undefined: all. */
  visible?: string[];
  limit: number;
  offset: number;
}

/**
 * Docs search on Postgres full-text search: one row per page section (title weight A,
 * heading B, text C), ranked with ts_rank_cd, snippets from ts_headline.
 */
export class SearchIndex {
  constructor(private readonly db: Knex) {}

  async replace(entityRef: string, pages: readonly BuiltPage[], trx?: Knex.Transaction): Promise<void> {
    const run = async (t: Knex.Transaction) => {
      await t('search_sections').where({ entity_ref: entityRef }).delete();
      const rows = pages.flatMap((p) =>
        p.sections.map((s, position) => ({
          entity_ref: entityRef,
          route: p.route,
          position,
          page_title: p.title,
          anchor: s.anchor,
          heading: s.heading,
          body: s.text,
        })),
      );
      // A page without sections still needs a row so its title is searchable.
      for (const p of pages)
        if (p.sections.length === 0)
          rows.push({ entity_ref: entityRef, route: p.route, position: 0, page_title: p.title, anchor: null, heading: null, body: '' });
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await t('search_sections').insert(rows.slice(i, i + INSERT_BATCH));
    };
    if (trx) await run(trx);
    else await this.db.transaction(run);
  }

  async delete(entityRef: string): Promise<void> {
    await this.db('search_sections').where({ entity_ref: entityRef }).delete();
  }

  /** Returns up to `limit + 1` results so the caller can tell whether there is a next page. */
  async search(q: SearchQuery): Promise<DocsSearchResult[]> {
    const tsquery = toTsQuery(q.term);
    if (!tsquery) return [];
    const entityFilter = `${q.entityRef ? 'and s.entity_ref = ?' : ''} ${q.visible ? 'and s.entity_ref = any(?::text[])' : ''}`;
    const result = (await this.db.raw(
      `with q as (select to_tsquery('english', ?) as query),
       top as (
         select s.entity_ref, s.route, s.position, s.page_title, s.anchor, s.heading, s.body, ts_rank_cd(s.tsv, q.query) as rank
         from search_sections s cross join q
         where s.tsv @@ q.query ${entityFilter}
         order by rank desc, s.entity_ref, s.route, s.position
         limit ? offset ?
       )
       select top.entity_ref, top.route, top.page_title, top.anchor, top.heading, top.rank,
         ts_headline('english', case when top.body = '' then top.page_title else top.body end, q.query,
           'StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') as snippet,
         e.title as entity_title, e.site_name, e.namespace, e.kind, e.name
       from top cross join q
       join docs_entities e on e.entity_ref = top.entity_ref
       order by top.rank desc, top.entity_ref, top.route, top.position`,
      [tsquery, ...(q.entityRef ? [q.entityRef] : []), ...(q.visible ? [q.visible] : []), q.limit + 1, q.offset],
    )) as { rows: SearchRow[] };
    return result.rows.map((r) => ({
      entityRef: r.entity_ref,
      entityTitle: r.entity_title,
      siteName: r.site_name,
      route: r.route,
      pageTitle: r.page_title,
      anchor: r.anchor,
      heading: r.heading,
      snippet: snippetHtml(r.snippet ?? ''),
      location: docsPagePath({ namespace: r.namespace, kind: r.kind, name: r.name }, r.route, r.anchor),
      rank: Number(r.rank),
    }));
  }
}

interface SearchRow {
  entity_ref: string;
  route: string;
  page_title: string;
  anchor: string | null;
  heading: string | null;
  rank: number | string;
  snippet: string | null;
  entity_title: string;
  site_name: string | null;
  namespace: string;
  kind: string;
  name: string;
}
