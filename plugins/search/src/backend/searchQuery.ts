import type { Caller, Db, Logger, PermissionsService } from '@atrium/backend-plugin-api';
import type { FacetCount, SearchQueryResponse, SearchResult } from '../common/index.js';
import { decodeCursor, encodeCursor, queryHash } from './cursor.js';
import { predicateToSql, UnsupportedPredicateError, type SqlFragment } from './predicateSql.js';
import type { SearchParams } from './queryParams.js';
import { highlight, lastIsShort, snippet, tokenize, toTsQueryText, trigramSimilarity, wordTrigrams } from './text.js';
import { closeWords } from './vocabulary.js';

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
async function rareWords(trx: Db, tokens: string[]): Promise<string[]> {
  // Numbers are not misspelt words: `000042` should not find every name with `000` in it.
  const long = [...new Set(tokens.filter((t) => t.length >= 4 && /\p{L}/u.test(t)))];
  if (long.length === 0) return [];
  const count = async (words: string[], from: string) => {
    const r = (await trx.raw(
      `select ${words
        .map(
          (_, i) =>
            `(select count(*) from (select 1 from ${from} where tsv @@ (to_tsquery('simple', ?) || to_tsquery('english', ?)) limit ${FEW_EXACT}) x) as n${i}`,
        )
        .join(', ')}`,
      words.flatMap((w) => [`'${w}':*`, `'${w}':*`]),
    )) as { rows: Array<Record<string, string | number>> };
    return words.filter((_, i) => Number(r.rows[0]![`n${i}`]) < FEW_EXACT);
  };
  // First the first 2,000 rows of the table: a common word is found 5 times there at once (the GIN
  // index would have to collect every row it is in). Then the index, for the words that were not.
  await trx.raw('set local enable_seqscan = on');
  const notCommon = await count(long, '(select tsv from documents limit 2000) s');
  await trx.raw('set local enable_seqscan = off');
  return notCommon.length > 0 ? count(notCommon, 'documents') : [];
}

/**
 * How many matches a query counts and facets exactly. A broader query is answered from a bounded
 * candidate set (see `searchStatement`) and its count is a lower bound.
 */
export const RESULT_WINDOW = 500;
/** The same for a term with a likely typo (trigram matching, checked per row). */
export const FUZZY_WINDOW = 200;
/** Candidates scored with `ts_rank_cd` (the best by the cheap score); the others keep the cheap score. */
export const FULL_RANK = 100;
/** Name-prefix candidates taken (in name order) when the match set is larger than the window. */
const PREFIX_CANDIDATES = 200;

/** Placeholders in the order the text is written: each `v()` appends one binding where it is called. */
class SqlBuilder {
  readonly bindings: unknown[] = [];
  v(value: unknown): string {
    this.bindings.push(value);
    return '?';
  }
  frag(f: SqlFragment): string {
    this.bindings.push(...f.bindings);
    return f.sql;
  }
}

function filterSql(s: SqlBuilder, params: SearchParams, withTypes: boolean): string {
  const parts: string[] = [];
  if (withTypes && params.types.length > 0) parts.push(`d.type in (${params.types.map((t) => s.v(t)).join(', ')})`);
  for (const [facet, values] of Object.entries(params.filters)) {
    if (!values || values.length === 0) continue;
    const list = values.map((v) => s.v(v.toLowerCase())).join(', ');
    if (facet === 'tags') parts.push(`exists (select 1 from unnest(d.tags) t where lower(t) in (${list}))`);
    else parts.push(`lower(d.${facet}) in (${list})`);
  }
  return parts.length ? parts.join(' and ') : 'true';
}

const facetSql = (col: string, source: string) =>
  `(select coalesce(json_agg(json_build_object('value', value, 'count', n) order by n desc, value), '[]'::json)
     from (select ${col} as value, count(*) as n from ${source} where ${col} is not null group by 1 order by 2 desc, 1 limit 50) x)`;

const KIND_BOOST = `case lower(coalesce(d.kind, '')) when 'component' then 0.4 when 'api' then 0.35 when 'system' then 0.35 when 'group' then 0.3
  when 'user' then 0.3 when 'domain' then 0.25 when 'resource' then 0.2 when 'location' then -0.5 when 'template' then 0 else 0.1 end`;

/** The title/name/keyword/tag part of the tsvector (weights A–C), as the `documents_head_tsv` index has it. */
const HEAD_TSV = `ts_filter(d.tsv, '{a,b,c}')`;

interface Aggregate {
  page: unknown;
  total: string | number;
  lower_bound: boolean;
  type: unknown;
  kind: unknown;
  owner: unknown;
  lifecycle: unknown;
  tags: unknown;
}

/**
 * The one statement of a search, in two stages so that a broad term does not read (nor rank)
 * every match.
 *
 * Candidates, with a cheap score from plain columns (exact/prefix name, kind, trigram share,
 * whether the title holds every word): matches of the title/name/keyword/tag part of the
 * tsvector (`b_head`, its own small GIN index), at most `window + 1`; only when those are not
 * more than `window`, matches of the whole tsvector including the body (`b_all`), at most
 * `window + 1`. When either is over `window` the match set is larger than what is counted: the
 * count is a lower bound, and exact names/titles (`b_exact`) and name prefixes in name order
 * (`b_prefix`) are added through the name and title indexes, wherever they lie in the table.
 * Otherwise the candidates are exactly the matches and count and facets are exact. A last word
 * shorter than `MIN_PREFIX_CHARS` is not a prefix in the tsquery (`shortWord` below), so the name
 * prefixes are always added (and when they reach their limit the count is a lower bound).
 *
 * Ranking: the `FULL_RANK` best candidates by the cheap score are scored as before
 * (`4 × ts_rank_cd` + name, kind and trigram terms; the tsvector is read for them only) and come
 * first; the rest follow by cheap score. The document text is read for the page's rows only.
 */
function searchStatement(params: SearchParams, tokens: string[], vis: Visibility, fuzzy: { words: string[]; close: string[] }, limit: number, offset: number) {
  const s = new SqlBuilder();
  // A short last word after other words (`payments s`): the others are matched through the index
  // and the short one row by row, as the start of a word of the name or title. As a prefix in the
  // tsquery it would expand to a large share of the index's words; as a whole word it matched
  // every possessive "'s". (A short word alone is a whole word, beside the name prefixes.)
  const shortWord = lastIsShort(tokens) && tokens.length > 1 ? tokens[tokens.length - 1] : undefined;
  const tsq = toTsQueryText(shortWord ? tokens.slice(0, -1) : tokens);
  // The word holds only letters and digits (tokenize), none of them special in a regular expression.
  const startsWord = () => {
    const re = `(^|[^[:alnum:]])${shortWord}`;
    return `(lower(d.name) ~ ${s.v(re)} or lower(d.title) ~ ${s.v(re)})`;
  };
  const withShort = (expr: string) => (shortWord ? `(${expr} and ${startsWord()})` : expr);
  const qTrigrams = fuzzy.close.length > 0 ? [...new Set(fuzzy.words.flatMap(wordTrigrams))] : [];
  // Trigram matches are checked row by row (the share), so a typo's sample is smaller.
  const window = qTrigrams.length > 0 ? FUZZY_WINDOW : RESULT_WINDOW;
  const tq = () => `(to_tsquery('simple', ${s.v(tsq)}) || to_tsquery('english', ${s.v(tsq)}))`;
  // One `= any` per query trigram: no subquery per row (measured about 5 times cheaper than unnest).
  const shared = () => `((${qTrigrams.map((t) => `(${s.v(t)} = any(d.trigrams))::int`).join(' + ')})::float8 / ${qTrigrams.length})`;
  // The documents holding one of the vocabulary words close to the typos (as a word: the name and
  // title words are `simple` lexemes of the head of the tsvector, which has its own GIN index).
  const fuzzyCandidates = () => `${HEAD_TSV} @@ to_tsquery('simple', ${s.v(fuzzy.close.map((w) => `'${w}'`).join(' | '))})`;
  const match = () => {
    if (!tsq) return 'true';
    if (qTrigrams.length === 0) return withShort(`d.tsv @@ ${tq()}`);
    // The share is still checked: the head also holds keywords and tags, and the typos' trigrams
    // must be found in the name and title as before.
    return withShort(`(d.tsv @@ ${tq()} or (${fuzzyCandidates()} and ${shared()} >= ${FUZZY_MIN}))`);
  };
  const phrase = tokens.join(' ');
  const dashed = tokens.join('-');
  const prefix = `${dashed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // The score without the text rank (as before: name, trigram share, kind), and a hint that stands
  // in for the text rank when choosing which candidates get it: every word in the title.
  const base = () => {
    if (!tsq) return `(${KIND_BOOST})`;
    return `(case when lower(d.name) in (${s.v(phrase)}, ${s.v(dashed)}) or lower(d.title) = ${s.v(phrase)} then 3
             when lower(d.name) like ${s.v(prefix)} then 1.2 else 0 end
      + ${qTrigrams.length > 0 ? shared() : '0'} + ${KIND_BOOST})`;
  };
  const hint = () => (tsq ? `(case when ${tokens.map((t) => `strpos(lower(d.title), ${s.v(t)}) > 0`).join(' and ')} then 1 else 0 end)` : '0');
  // Plain columns only in the branches; the cheap score is computed once, over their union.
  const cols = () => `d.type, d.key, d.entity_ref, d.title, d.location, d.kind, d.namespace, d.name, d.owner, d.lifecycle, d.tags, d.trigrams`;
  // The match, the caller's visibility and the filters, in the order their placeholders are written.
  const where = (withTypes: boolean, m: () => string = match) => {
    const parts = [m()];
    if (vis.mode === 'sql') parts.push(s.frag(vis.fragment));
    parts.push(filterSql(s, params, withTypes));
    return parts.join(' and ');
  };

  const ctes: string[] = [];
  const branches: string[] = [];
  let lowerBound = `(select count(*) from b_all) > ${window}`;
  if (tsq) {
    ctes.push(
      `b_head as materialized (select ${cols()}, 2 as p from documents d where ${where(true, () => withShort(`${HEAD_TSV} @@ ${tq()}`))} limit ${s.v(window + 1)})`,
    );
    // Gated (a one-time filter): the body is searched only when the head matches are few.
    ctes.push(
      `b_all as materialized (select ${cols()}, 3 as p from documents d
        where (select count(*) from b_head) <= ${window} and ${where(true)} limit ${s.v(window + 1)})`,
    );
    const overWindow = `((select count(*) from b_head) > ${window} or (select count(*) from b_all) > ${window})`;
    // An exact name or title, or a name starting with the words, is a match (names and titles are
    // indexed as their words), so these need no tsvector; they run only when the match set is too
    // large, or (the prefixes) when the last word was too short to be a prefix in the tsquery.
    const short = lastIsShort(tokens);
    ctes.push(
      `b_exact as (select ${cols()}, 0 as p from documents d
        where ${overWindow} and (lower(d.name) in (${s.v(phrase)}, ${s.v(dashed)}) or lower(d.title) = ${s.v(phrase)}) and ${where(true, () => 'true')}
        limit ${s.v(window)})`,
      `b_prefix as ${short ? 'materialized ' : ''}(select ${cols()}, 1 as p from documents d
        where ${short ? 'true' : overWindow} and lower(d.name) like ${s.v(prefix)} and ${where(true, () => 'true')}
        order by lower(d.name) using ~<~ limit ${PREFIX_CANDIDATES})`,
    );
    // Name prefixes taken to their limit may have left some out: the count is then a lower bound too.
    lowerBound = short ? `(${overWindow} or (select count(*) from b_prefix) >= ${PREFIX_CANDIDATES})` : overWindow;
    branches.push('b_exact', 'b_prefix', 'b_head', 'b_all');
  } else {
    ctes.push(`b_all as materialized (select ${cols()}, 3 as p from documents d where ${where(true)} limit ${s.v(window + 1)})`);
    branches.push('b_all');
  }
  ctes.push(
    `cand as materialized (select distinct on (d.type, d.key) d.*, ${base()}::float8 as base, ${hint()} as hint
      from (${branches.map((b) => `select * from ${b}`).join(' union all ')}) d order by d.type, d.key, d.p)`,
  );
  if (tsq) {
    ctes.push(`ranked as materialized (select c.type, c.key, c.base + 4 * ts_rank_cd(d.tsv, ${tq()}, 1) as score
      from (select * from cand order by base + hint desc, title, type, key limit ${FULL_RANK}) c join documents d on d.type = c.type and d.key = c.key)`);
  }
  // `facets.type` counts every type (the filters but not `types`): its own capped sample when types are chosen.
  if (params.types.length > 0 && tsq) {
    ctes.push(
      `tf_head as materialized (select d.type from documents d where ${where(false, () => withShort(`${HEAD_TSV} @@ ${tq()}`))} limit ${s.v(window + 1)})`,
      `tf as (select type from tf_head where (select count(*) from tf_head) > ${window}
        union all select d.type from documents d where (select count(*) from tf_head) <= ${window} and ${where(false)} limit ${s.v(window + 1)})`,
    );
  } else if (params.types.length > 0) {
    ctes.push(`tf as (select d.type from documents d where ${where(false)} limit ${s.v(window + 1)})`);
  }
  const scored = tsq
    ? `(select c.*, r.score is not null as full_rank, coalesce(r.score, c.base + c.hint) as score from cand c left join ranked r on r.type = c.type and r.key = c.key)`
    : `(select c.*, true as full_rank, c.base as score from cand c)`;
  const order = tokens.length > 0 ? 'full_rank desc, score desc, title, type, key' : 'score desc, lower(title), type, key';
  const orderR = tokens.length > 0 ? 'r.full_rank desc, r.score desc, r.title, r.type, r.key' : 'r.score desc, lower(r.title), r.type, r.key';
  ctes.push(`page as (select * from ${scored} sc order by ${order} limit ${s.v(limit)} offset ${s.v(offset)})`);
  const sql = `with ${ctes.join(',\n')}
    select
      (select coalesce(json_agg(to_json(r) order by ${orderR}), '[]'::json)
         from (select p.type, p.key, p.entity_ref, p.title, p.location, p.kind, p.namespace, p.name, p.owner, p.lifecycle, p.tags,
           p.score, p.full_rank, x.text from page p join documents x on x.type = p.type and x.key = p.key) r) as page,
      (select count(*) from cand) as total,
      ${lowerBound} as lower_bound,
      ${facetSql('type', params.types.length > 0 ? 'tf' : 'cand')} as type,
      ${facetSql('kind', 'cand')} as kind, ${facetSql('owner', 'cand')} as owner, ${facetSql('lifecycle', 'cand')} as lifecycle,
      (select coalesce(json_agg(json_build_object('value', value, 'count', n) order by n desc, value), '[]'::json)
         from (select t as value, count(*) as n from cand cross join unnest(cand.tags) t group by 1 order by 2 desc, 1 limit 50) x) as tags`;
  return { sql, bindings: s.bindings };
}

/**
 * Runs one search for one caller: ranked page, count and facets over what the caller may see, in
 * one statement. Up to `RESULT_WINDOW` matches everything is exact; beyond, pages are cut from
 * the ranked candidates (so paging ends with them) and `numberOfResults` is their number, a lower
 * bound (`numberOfResultsIsLowerBound`).
 */
export async function runSearch(
  db: Db,
  permissions: PermissionsService,
  caller: Caller,
  params: SearchParams,
  logger?: Logger,
  signal?: AbortSignal,
): Promise<SearchQueryResponse> {
  const tokens = tokenize(params.term);
  const hash = queryHash([tokens, params.types, params.filters, params.pageLimit]);
  const offset = params.pageCursor ? decodeCursor(params.pageCursor, hash) : 0;
  const vis = await visibility(permissions, caller);
  const limit = vis.mode === 'per-row' ? params.pageLimit * 4 : params.pageLimit + 1;
  // Every page of one query is cut from the same candidates, so paging neither repeats nor skips.
  const agg = await db.transaction(async (trx) => {
    // With a term every scan of `documents` should come from an index and stop at its limit: the
    // planner's guess for a trigram or prefix match is often low, and a sequential scan "until
    // 1,001 rows match" then reads most of the table (measured: 250 ms against 10 ms).
    const stopCancelling = await cancelOnAbort(db, trx, signal, logger, tokens.length > 0 ? { enable_seqscan: 'off' } : {});
    try {
      return await searchInTransaction(trx);
    } finally {
      await stopCancelling();
    }
  });
  async function searchInTransaction(trx: Db): Promise<Aggregate> {
    const run = async (fuzzy: { words: string[]; close: string[] }) => {
      const st = searchStatement(params, tokens, vis, fuzzy, limit, offset);
      return ((await trx.raw(st.sql, st.bindings as never[])) as { rows: Aggregate[] }).rows[0]!;
    };
    const exact = await run({ words: [], close: [] });
    // A term matching 5 or more documents has no word matching fewer (every word matches each of
    // them), so the likely typos are looked for only when it matches fewer.
    if (tokens.length === 0 || exact.lower_bound || Number(exact.total) >= FEW_EXACT) return exact;
    const fuzzyWords = await rareWords(trx, tokens);
    // The words of names and titles close to the typos, from the vocabulary (not the documents).
    const close = await closeWords(trx, fuzzyWords, FUZZY_MIN);
    return close.length > 0 ? run({ words: fuzzyWords, close }) : exact;
  }
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  const page = parse<Row[]>(agg.page);

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
    parse<Array<{ value: string; count: number | string }>>(v).map((x) => ({ value: x.value, count: Number(x.count) }));
  const response: SearchQueryResponse = {
    results: rows.map((r) => toResult(r, tokens)),
    numberOfResults: Number(agg.total),
    facets: { type: json(agg.type), kind: json(agg.kind), owner: json(agg.owner), lifecycle: json(agg.lifecycle), tags: json(agg.tags) },
  };
  if (agg.lower_bound) response.numberOfResultsIsLowerBound = true;
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

/**
 * Stops the transaction's statement when the caller goes away (the palette aborts the request of
 * every keystroke the next one replaces): Postgres would otherwise finish a broad prefix search
 * nobody reads (250 ms for "c" at 100,000 entities) while the search that matters waits for the
 * CPU. On a server, `pg_cancel_backend` from another pooled connection; the embedded database runs
 * one statement at a time in this process, so there is nothing to cancel it from.
 *
 * `localSettings` are set for the transaction (`set_config(…, true)`) in the same statement that
 * asks for the connection's process id, so a search pays one round trip for both.
 */
export async function cancelOnAbort(
  db: Db,
  trx: Db,
  signal: AbortSignal | undefined,
  logger?: Logger,
  localSettings: Record<string, string> = {},
): Promise<() => Promise<void>> {
  const none = async () => {};
  const watch = signal !== undefined && (db.client as { config?: { client?: unknown } }).config?.client === 'pg';
  const settings = Object.entries(localSettings);
  if (!watch && settings.length === 0) return none;
  const columns = [...(watch ? ['pg_backend_pid() as pid'] : []), ...settings.map((_, i) => `set_config(?, ?, true) as s${i}`)];
  const first = (await trx.raw(`select ${columns.join(', ')}`, settings.flat())) as { rows: Array<{ pid?: number }> };
  const pid = first.rows[0]?.pid;
  if (!watch || !signal || pid === undefined) return none;
  let done = false;
  let sent: Promise<unknown> | undefined;
  const cancel = () => {
    if (done) return;
    sent = db.raw('select pg_cancel_backend(?)', [pid]).catch((err: unknown) => logger?.debug({ err }, 'search: could not cancel an abandoned search'));
  };
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  // Waited for before the connection goes back to the pool: a cancel landing later would stop
  // whatever statement the next user of the connection runs.
  return async () => {
    done = true;
    signal.removeEventListener('abort', cancel);
    await sent;
  };
}

/** Whether an error is Postgres cancelling a statement (SQLSTATE 57014), as `cancelOnAbort` does. */
export function isCancelledStatement(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '57014';
}
