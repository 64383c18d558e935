import type { Caller, Db, Logger, PermissionsService } from '@atrium/backend-plugin-api';
import type { FacetCount, SearchQueryResponse, SearchResult } from '../common/index.js';
import { decodeCursor, encodeCursor, queryHash } from './cursor.js';
import { predicateToSql, UnsupportedPredicateError, type SqlFragment } from './predicateSql.js';
import type { SearchParams } from './queryParams.js';
import { highlight, snippet, tokenize, toTsQueryText, trigramSimilarity, wordTrigrams } from './text.js';

const FUZZY_MIN = 0.5;
const READ = 'catalog.entity.read';

interface Row {
  type: string;
  key: string;
  entity_ref: string | null;
  title: string;
  text: string;
  location: string;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  owner: string | null;
  lifecycle: string | null;
  tags: string[];
  score: number;
}

/** Who may see which documents: everything, nothing tied to an entity, a SQL condition, or a check per row. */
type Visibility = { mode: 'all' } | { mode: 'sql'; fragment: SqlFragment } | { mode: 'per-row' };

async function visibility(permissions: PermissionsService, caller: Caller): Promise<Visibility> {
  const c = await permissions.queryConditions(caller, READ);
  if (c.result === 'all') return { mode: 'all' };
  if (c.result === 'none') return { mode: 'sql', fragment: { sql: 'd.entity_ref is null', bindings: [] } };
  try {
    const pred = predicateToSql(c.predicate, 'c.filter_fields');
    return {
      mode: 'sql',
      fragment: {
        sql: `(d.entity_ref is null or exists (select 1 from documents c where c.type = 'software-catalog' and c.key = d.entity_ref and ${pred.sql}))`,
        bindings: pred.bindings,
      },
    };
  } catch (e) {
    if (e instanceof UnsupportedPredicateError) return { mode: 'per-row' };
    throw e;
  }
}

const FEW_EXACT = 5;

/**
 * The words (4+ letters) that match fewer than 5 documents as words or prefixes: the likely
 * typos. Only they get trigram matching, so a query whose words all match stays on the GIN
 * index, and a misspelling that happens to occur in a page or two is still corrected.
 */
async function rareWords(db: Db, tokens: string[]): Promise<string[]> {
  // Numbers are not misspelt words: `000042` should not find every name with `000` in it.
  const long = [...new Set(tokens.filter((t) => t.length >= 4 && /\p{L}/u.test(t)))];
  if (long.length === 0) return [];
  const r = (await db.raw(
    `select w, (select count(*) from (select 1 from documents
        where tsv @@ (to_tsquery('simple', '''' || w || ''':*') || to_tsquery('english', '''' || w || ''':*')) limit ${FEW_EXACT}) x) as n
     from unnest(?::text[]) as w`,
    [long],
  )) as { rows: Array<{ w: string; n: string | number }> };
  return r.rows.filter((x) => Number(x.n) < FEW_EXACT).map((x) => x.w);
}

/** `documents d` rows that match the term (and the caller may see), with their score. */
function matchedCte(tokens: string[], vis: Visibility, fuzzyWords: string[]): SqlFragment {
  const bindings: unknown[] = [];
  const tsq = toTsQueryText(tokens);
  // Typo tolerance: trigrams of the rare longer words (short words are matched as prefixes).
  const qTrigrams = [...new Set(fuzzyWords.flatMap(wordTrigrams))];
  const where: string[] = [];
  let score = '0';
  if (tsq) {
    const phrase = tokens.join(' ');
    const dashed = tokens.join('-');
    const fuzz = qTrigrams.length > 0 ? `(select count(*) from unnest(d.trigrams) t where t = any(?::text[]))::float8 / ?` : '0';
    score = `(ts_rank_cd(d.tsv, q.tq, 1) * 4
      + case when lower(d.name) in (?, ?) or lower(d.title) = ? then 3 when lower(d.name) like ? then 1.2 else 0 end
      + ${fuzz}
      + case lower(coalesce(d.kind, '')) when 'component' then 0.4 when 'api' then 0.35 when 'system' then 0.35 when 'group' then 0.3
          when 'user' then 0.3 when 'domain' then 0.25 when 'resource' then 0.2 when 'location' then -0.5 when 'template' then 0 else 0.1 end)`;
    bindings.push(tsq, tsq);
    if (qTrigrams.length > 0) bindings.push(qTrigrams, qTrigrams.length);
    bindings.push(phrase, dashed, phrase, `${dashed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (qTrigrams.length > 0) {
      where.push(
        `(d.tsv @@ q.tq or (d.trigrams && ?::text[] and (select count(*) from unnest(d.trigrams) t where t = any(?::text[]))::float8 / ? >= ${FUZZY_MIN}))`,
      );
      bindings.push(qTrigrams, qTrigrams, qTrigrams.length);
    } else where.push('d.tsv @@ q.tq');
  } else if (tokens.length > 0) where.push('false');
  if (vis.mode === 'sql') {
    where.push(vis.fragment.sql);
    bindings.push(...vis.fragment.bindings);
  }
  const from = tsq ? `documents d cross join (select to_tsquery('simple', ?) || to_tsquery('english', ?) as tq) q` : 'documents d';
  const sql = `select d.type, d.key, d.entity_ref, d.title, d.text, d.location, d.kind, d.namespace, d.name, d.owner, d.lifecycle, d.tags,
      ${score} as score from ${from} ${where.length ? `where ${where.join(' and ')}` : ''}`;
  // Placeholders appear in the text in this order: score (tsq binds live in FROM, which comes after the select list).
  return { sql, bindings: reorder(bindings, tsq !== null, qTrigrams.length > 0) };
}

/** The bindings above were collected by meaning; put them in the order the placeholders appear. */
function reorder(b: unknown[], hasTsq: boolean, hasFuzz: boolean): unknown[] {
  if (!hasTsq) return b;
  const tsq = b.slice(0, 2);
  let i = 2;
  const fuzz = hasFuzz ? b.slice(i, (i += 2)) : [];
  const names = b.slice(i, (i += 4));
  const rest = b.slice(i);
  return [...names, ...fuzz, ...tsq, ...rest];
}

function filterSql(params: SearchParams, withTypes: boolean): SqlFragment {
  const parts: string[] = [];
  const bindings: unknown[] = [];
  if (withTypes && params.types.length > 0) {
    parts.push(`m.type in (${params.types.map(() => '?').join(', ')})`);
    bindings.push(...params.types);
  }
  for (const [facet, values] of Object.entries(params.filters)) {
    if (!values || values.length === 0) continue;
    const lower = values.map((v) => v.toLowerCase());
    const list = lower.map(() => '?').join(', ');
    if (facet === 'tags') parts.push(`exists (select 1 from unnest(m.tags) t where lower(t) in (${list}))`);
    else parts.push(`lower(m.${facet}) in (${list})`);
    bindings.push(...lower);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', bindings };
}

const facetSql = (col: string, source: string) =>
  `(select coalesce(json_agg(json_build_object('value', value, 'count', n) order by n desc, value), '[]'::json)
     from (select ${col} as value, count(*) as n from ${source} where ${col} is not null group by 1 order by 2 desc, 1 limit 50) x)`;

/** Runs one search for one caller: ranked page, count and facets over what the caller may see. */
export async function runSearch(db: Db, permissions: PermissionsService, caller: Caller, params: SearchParams, logger?: Logger): Promise<SearchQueryResponse> {
  const tokens = tokenize(params.term);
  const hash = queryHash([tokens, params.types, params.filters, params.pageLimit]);
  const offset = params.pageCursor ? decodeCursor(params.pageCursor, hash) : 0;
  const vis = await visibility(permissions, caller);
  const m = matchedCte(tokens, vis, await rareWords(db, tokens));
  const all = filterSql(params, true);
  const noTypes = filterSql(params, false);
  const cte = `with m as (${m.sql}), f as (select * from m where ${all.sql}), ft as (select * from m where ${noTypes.sql})`;
  const cteBindings = [...m.bindings, ...all.bindings, ...noTypes.bindings];
  const order = tokens.length > 0 ? 'f.score desc, f.title, f.type, f.key' : 'f.score desc, lower(f.title), f.type, f.key';
  const limit = vis.mode === 'per-row' ? params.pageLimit * 4 : params.pageLimit + 1;
  const page = ((await db.raw(`${cte} select * from f order by ${order} limit ? offset ?`, [...cteBindings, limit, offset] as never[])) as { rows: Row[] })
    .rows;
  const agg = (
    (await db.raw(
      `${cte} select (select count(*) from f) as total, ${facetSql('type', 'ft')} as type, ${facetSql('kind', 'f')} as kind,
        ${facetSql('owner', 'f')} as owner, ${facetSql('lifecycle', 'f')} as lifecycle,
        (select coalesce(json_agg(json_build_object('value', value, 'count', n) order by n desc, value), '[]'::json)
           from (select t as value, count(*) as n from f cross join unnest(f.tags) t group by 1 order by 2 desc, 1 limit 50) x) as tags`,
      cteBindings as never[],
    )) as { rows: Array<{ total: string; type: unknown; kind: unknown; owner: unknown; lifecycle: unknown; tags: unknown }> }
  ).rows[0]!;

  let rows = page;
  if (vis.mode === 'per-row') {
    logger?.warn(
      { caller: caller.userEntityRef },
      'search: catalog.entity.read conditions have no SQL form; page checked per row, counts and facets not filtered',
    );
    // The policy's conditions have no SQL form here: check each entity-bound row (counts and facets are then not filtered).
    const bound = rows.filter((r) => r.entity_ref);
    const decisions = await permissions.authorizeMany(
      caller,
      bound.map((r) => ({ permission: READ, resourceRef: r.entity_ref! })),
    );
    const denied = new Set(bound.filter((_, i) => decisions[i]?.result !== 'ALLOW').map((r) => `${r.type}\u0000${r.key}`));
    rows = rows.filter((r) => !denied.has(`${r.type}\u0000${r.key}`));
  }
  const hasNext = rows.length > params.pageLimit;
  rows = rows.slice(0, params.pageLimit);
  const json = (v: unknown): FacetCount[] =>
    ((typeof v === 'string' ? JSON.parse(v) : v) as Array<{ value: string; count: number | string }>).map((x) => ({ value: x.value, count: Number(x.count) }));
  const response: SearchQueryResponse = {
    results: rows.map((r) => toResult(r, tokens)),
    numberOfResults: Number(agg.total),
    facets: { type: json(agg.type), kind: json(agg.kind), owner: json(agg.owner), lifecycle: json(agg.lifecycle), tags: json(agg.tags) },
  };
  if (hasNext) response.nextPageCursor = encodeCursor(hash, offset + params.pageLimit);
  if (offset > 0) response.previousPageCursor = encodeCursor(hash, Math.max(0, offset - params.pageLimit));
  const suggestion = suggest(tokens, rows);
  if (suggestion) response.suggestion = suggestion;
  return response;
}

function toResult(r: Row, tokens: string[]): SearchResult {
  const document: SearchResult['document'] = { title: r.title, text: snippet(r.text, tokens), location: r.location };
  if (r.kind) document.kind = r.kind;
  if (r.namespace) document.namespace = r.namespace;
  if (r.name) document.name = r.name;
  if (r.owner) document.owner = r.owner;
  if (r.lifecycle) document.lifecycle = r.lifecycle;
  if (r.tags.length > 0) document.tags = r.tags;
  if (r.entity_ref) document.entityRef = r.entity_ref;
  const fields: SearchResult['highlight']['fields'] = {};
  const title = highlight(r.title, tokens);
  if (title.marked) fields.title = title.html;
  const text = highlight(document.text, tokens);
  if (text.marked) fields.text = text.html;
  return { type: r.type, document, highlight: { preTag: '<mark>', postTag: '</mark>', fields }, rank: Math.round(r.score * 1000) / 1000 };
}

/** "Did you mean": words no result starts with, replaced by the closest word of the top results' names and titles. */
function suggest(tokens: string[], rows: Row[]): string | undefined {
  if (tokens.length === 0 || rows.length === 0) return undefined;
  const words = [...new Set(rows.slice(0, 10).flatMap((r) => `${r.name ?? ''} ${r.title}`.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))];
  let changed = false;
  const fixed = tokens.map((t) => {
    if (t.length < 4 || words.some((w) => w.startsWith(t))) return t;
    let best = t;
    let bestScore = 0.3;
    for (const w of words) {
      const s = trigramSimilarity(t, w);
      if (s > bestScore) [best, bestScore] = [w, s];
    }
    if (best !== t) changed = true;
    return best;
  });
  return changed ? fixed.join(' ') : undefined;
}
