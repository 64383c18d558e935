#!/usr/bin/env node
// Search benchmark: full index build, query p95 (by term, with facets), typo query p95, index size.
//
//   node --conditions=source --import tsx bench/search.mjs --n 1000 [--db pglite|pg] [--requests 200] [--docs 20000]
//
// Runs in process (catalog + search plugins on startTestBackend, from the sources). The corpus is
// ../shared/bench/gen-corpus.mjs (as bench/catalog.mjs), cached in bench/out/corpus-<N>. With
// --db pg it needs ATRIUM_TEST_POSTGRES_URL (a fresh database is made per run). Figures are only
// meaningful on a quiet machine: on a shared one, compare runs made back to back.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    db: { type: 'string', default: 'pglite' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '10' },
    'timeout-s': { type: 'string', default: '1800' },
    docs: { type: 'string', default: '0' },
  },
  strict: true,
});
const N = Number(opt.n);
const REQUESTS = Number(opt.requests);
const DOCS = Number(opt.docs);
const WARMUP = Number(opt.warmup);
if (!Number.isInteger(N) || N < 10) throw new Error('--n must be an integer >= 10');
if (opt.db !== 'pglite' && opt.db !== 'pg') throw new Error('--db is pglite or pg');
if (opt.db === 'pg' && !process.env.ATRIUM_TEST_POSTGRES_URL) throw new Error('--db pg needs ATRIUM_TEST_POSTGRES_URL');

const repoRoot = path.resolve(import.meta.dirname, '..');
const GEN = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
const corpus = path.join(repoRoot, 'bench/out', `corpus-${N}`);
if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
  console.error(`generating corpus N=${N} in ${corpus}`);
  const r = spawnSync(process.execPath, [GEN, String(N), corpus], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('gen-corpus failed');
}
const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));

const { startTestBackend, waitFor } = await import('@atrium/test-utils');
const { catalogPlugin } = await import('@atrium/plugin-catalog/backend');
const { searchPlugin, searchServiceRef } = await import('@atrium/plugin-search/backend');

const { definePlugin, searchCollatorsServiceRef } = await import('@atrium/backend-plugin-api');

// --docs N: N documentation pages, registered through the same collator contract TechDocs uses
// (type `techdocs`), with generated headings and prose: building real TechDocs sites for 20,000
// pages would measure the docs builder, not search.
const WORDS =
  'deploy rollback canary latency budget alert runbook incident postmortem schema migration replica failover backup restore token rotation cache eviction queue consumer partition throughput pipeline artifact release flag experiment dashboard metric trace span logging retention quota tenant region cluster node pod ingress certificate secret vault policy review approval owner oncall escalation'.split(
    ' ',
  );
const word = (i) => WORDS[(i * 2654435761) % WORDS.length];
const docPage = (i) => {
  const entity = manifest.componentNames[i % manifest.componentNames.length];
  const words = Array.from({ length: 220 }, (_, k) => word(i * 31 + k)).join(' ');
  return {
    key: `default/component/${entity}/page-${i}`,
    title: `${word(i)} ${word(i + 7)} guide ${i}`,
    text: `How to ${word(i + 3)} the ${entity} service. ${words}`,
    location: `/docs/default/component/${entity}/page-${i}/`,
    entityRef: `component:default/${entity}`,
    kind: 'component',
    namespace: 'default',
    name: entity,
  };
};
const docsState = { sink: undefined };
const benchDocsPlugin = definePlugin({
  id: 'benchdocs',
  deps: { search: searchCollatorsServiceRef },
  setup({ deps }) {
    deps.search.register({
      type: 'techdocs',
      title: 'Documentation',
      version: `bench-${DOCS}`,
      async *collate() {
        for (let i = 0; i < DOCS; i += 500) yield Array.from({ length: Math.min(500, DOCS - i) }, (_, k) => docPage(i + k));
      },
      subscribe(sink) {
        docsState.sink = sink;
        return () => undefined;
      },
    });
  },
});

const t = await startTestBackend({
  plugins: [catalogPlugin, searchPlugin, ...(DOCS > 0 ? [benchDocsPlugin] : [])],
  database: opt.db === 'pg' ? 'postgres' : 'pglite',
  config: { catalog: { locations: [{ type: 'file', target: path.join(corpus, 'all.yaml') }], readers: { fileRoots: [corpus] } } },
});
const timeoutMs = Number(opt['timeout-s']) * 1000;
try {
  const total = async () => (await t.json('/api/catalog/entities/by-query?limit=1')).body.totalItems ?? 0;
  await waitFor(async () => (await total()) >= manifest.expectedCatalogTotal, { timeoutMs, intervalMs: 1000, message: 'catalog ingested' });
  const search = t.backend.service(searchServiceRef);
  await search.idle();

  // Full build of every type at once, as a start with no index (or an admin's rebuild of
  // everything) runs them (the documents are there already: this is the rebuild cost). Each
  // type's time is until its own build ended.
  const b0 = performance.now();
  const ended = {};
  await Promise.all(
    ['software-catalog', ...(DOCS > 0 ? ['techdocs'] : [])].map((type) => search.rebuild(type).then(() => (ended[type] = performance.now() - b0))),
  );
  const allBuildMs = performance.now() - b0;
  const buildMs = ended['software-catalog'];
  const docsBuildMs = ended['techdocs'] ?? 0;

  // Incremental update: one document upserted through a collator's sink, as an event would.
  const single = [];
  if (docsState.sink) {
    for (let i = 0; i < 60; i++) {
      const u0 = performance.now();
      await docsState.sink.upsert([{ ...docPage(i), title: `updated ${i} ${word(i)}` }]);
      if (i >= 10) single.push(performance.now() - u0);
    }
    single.sort((a, b) => a - b);
  }

  const names = manifest.componentNames;
  const pick = (i) => names[(i * 7919) % names.length];
  const typo = (s) => {
    const w = s.split('-').sort((a, b) => b.length - a.length)[0];
    return w.length > 4 ? w.slice(0, 2) + w.slice(3) : w;
  };
  // A kept-alive connection the server closed while a build ran is retried once (undici's reuse race).
  const fetchOnce = (url) => fetch(url).catch((e) => (e?.cause?.code === 'UND_ERR_SOCKET' ? fetch(url) : Promise.reject(e)));
  async function p95(label, termOf) {
    const times = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const q0 = performance.now();
      const r = await fetchOnce(`${t.url}/api/search/query?term=${encodeURIComponent(termOf(i))}&pageLimit=25`);
      if (r.status !== 200) throw new Error(`${label}: ${r.status} ${await r.text()}`);
      await r.json();
      if (i >= WARMUP) times.push(performance.now() - q0);
    }
    times.sort((a, b) => a - b);
    return { label, p50: +times[Math.floor(times.length * 0.5)].toFixed(1), p95: +times[Math.floor(times.length * 0.95)].toFixed(1) };
  }
  const byTerm = await p95('query', (i) => pick(i).split('-')[0]);
  const byName = await p95('exact name', (i) => pick(i));
  const typos = await p95('typo', (i) => typo(pick(i)));
  const docsQuery = DOCS > 0 ? await p95('docs query', (i) => `${word(i)} ${word(i + 7)}`) : undefined;
  const status = (await t.json('/api/search/status')).body;
  const knex = await t.backend.database.forSchema('catalog');
  const sizeOf = async (schema) =>
    Number(
      (
        await knex.raw(
          `select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relkind in ('r', 'm')`,
          [schema],
        )
      ).rows[0].bytes,
    );
  const catalogMB = +((await sizeOf('catalog')) / 2 ** 20).toFixed(1);
  const result = {
    n: N,
    db: opt.db,
    documents: status.documents,
    docsPages: DOCS,
    // Every type built together (the "full index build of that corpus"); then each type's part.
    fullBuildMs: Math.round(allBuildMs),
    catalogBuildMs: Math.round(buildMs),
    ...(DOCS > 0 ? { docsFullBuildMs: Math.round(docsBuildMs) } : {}),
    indexMB: +(status.indexBytes / 2 ** 20).toFixed(1),
    catalogDataMB: catalogMB,
    ...(single.length
      ? { singleUpsertMs: { p50: +single[Math.floor(single.length * 0.5)].toFixed(1), p95: +single[Math.floor(single.length * 0.95)].toFixed(1) } }
      : {}),
    ...(docsQuery ? { docsQueryMs: docsQuery } : {}),
    queryMs: byTerm,
    exactNameMs: byName,
    typoMs: typos,
    note: 'shared machine: compare back-to-back runs only; publish figures from a quiet machine',
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await t.stop();
}
