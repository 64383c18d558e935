#!/usr/bin/env node
// Markdown table, one column per run, from bench/catalog.mjs result.json files:
//   node bench/lib/catalog-report.mjs bench/out/runs/catalog-10000_pg_*/ [...]
import fs from 'node:fs';
import path from 'node:path';

const runs = process.argv.slice(2).map((p) => {
  const file = p.endsWith('.json') ? p : path.join(p, 'result.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
});
if (runs.length === 0) {
  console.error('usage: node bench/lib/catalog-report.mjs <run dir or result.json>...');
  process.exit(2);
}

const v = (x, suffix = '') => (x === null || x === undefined ? '–' : `${x}${suffix}`);
const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);
const lat = (e, r) => {
  if (!e) return '–';
  if (e.n === 0) {
    const w = e.warmupMs ?? [];
    return `none measured: warm-ups used the ${r.settings.endpointBudgetS} s budget${w.length ? ` (${w.length} warm-ups, ${Math.min(...w)}–${Math.max(...w)} ms)` : ' (> 6 s each)'}`;
  }
  let s = `${e.p50} / ${e.p95} / ${e.p99}`;
  if (e.n < 200) s += ` (n=${e.n})`;
  if (e.errors) s += ` (${e.errors} err${e.timeouts ? `, ${e.timeouts} timeouts` : ''})`;
  return s;
};
const rows = [
  ['run', (r) => `${r.label || `${r.n} ${r.db}`}<br>\`${r.runId}\``],
  [
    'database',
    (r) => (r.db === 'pg' ? `PG ${/Postgres ([\d.]+)/.exec(r.database)?.[1] ?? ''}${/autovacuum off/.test(r.database) ? ', autovacuum off' : ''}` : 'PGlite'),
  ],
  ['plugins', (r) => (r.settings.plugins ?? 'catalog + system').replace(/ \(.*\)$/, '')],
  ['catalog build (dist mtime, UTC)', (r) => r.catalogBuild?.label ?? r.catalogBuild?.distNewestMtime?.slice(11, 19) ?? '–'],
  ['entities expected', (r) => r.corpus.expectedCatalogTotal.toLocaleString('en')],
  ['load avg 1 min: start / end of run', (r) => `${r.loadAtStart.one} / ${r.loadAtEnd?.one ?? '–'}`],
  ['backend answering HTTP (s)', (r) => v(r.phases.ingest?.httpUp)],
  ['components = N (s)', (r) => v(r.phases.ingest?.components)],
  ['all entities visible (s)', (r) => v(r.phases.ingest?.allVisible)],
  [
    '**(1) done: components, all entities, sampled groups (s)**',
    (r) => (r.phases.ingest?.timedOut ? `**not done in ${r.phases.ingest.timeoutS} s**` : `**${v(r.phases.ingest?.done)}**`),
  ],
  ['visible entities / min', (r) => v(r.phases.ingest?.visiblePerMin?.toLocaleString('en'))],
  ['backend CPU s during ingest / machine CPU', (r) => `${v(r.phases.ingest?.backendCpuS)} / ${pct(r.phases.ingest?.machineCpu)}`],
  ['load avg during ingest (start → done)', (r) => `${v(r.phases.ingest?.loadStart)} → ${v(r.phases.ingest?.loadEnd)}`],
  ['slowest status poll during ingest (s)', (r) => v(r.phases.ingest?.slowestPollS)],
  [
    '**(2) forced no-change refresh, everything (s)**',
    (r) => (r.phases.refreshForced ? `**${r.phases.refreshForced.wallS}** (CPU ${r.phases.refreshForced.backendCpuS} s)` : '–'),
  ],
  ['scheduled refresh due after the ingest, waited for before (2) (s)', (r) => v(r.phases.refreshForced?.waitedForScheduledRefreshS || null)],
  [
    '(2b) idle 30 s: backend CPU',
    (r) =>
      r.phases.idle
        ? `${r.phases.idle.backendCpuS} s = ${r.phases.idle.backendCpuPctOfCore} % of a core${r.phases.idle.pgSessionsCpuS ? ` (+PG ${r.phases.idle.pgSessionsCpuS} s)` : ''}`
        : '–',
  ],
  [
    '(2c) scheduled no-change refresh (s)',
    (r) =>
      r.phases.refreshScheduled?.claimToFinish
        ? `${r.phases.refreshScheduled.claimToFinish.wallS} (CPU ${r.phases.refreshScheduled.claimToFinish.backendCpuS} s)`
        : '–',
  ],
  [
    '(2c) average CPU over a no-change refresh cycle',
    (r) =>
      r.phases.refreshScheduled?.cycle
        ? `${r.phases.refreshScheduled.cycle.backendCpuPctOfCore} % of a core (${r.phases.refreshScheduled.cycle.wallS} s)`
        : '–',
  ],
  ['**(3) 1 % change served (s)**', (r) => (r.phases.change ? `**${r.phases.change.wallS}** (${r.phases.change.changedEntities} comps)` : '–')],
  ['*(4) latency ms p50 / p95 / p99*', () => ''],
  ['by-query `filter=kind=component&limit=50`', (r) => lat(r.phases.latency?.endpoints.byQueryKind, r)],
  ['full text, `fullTextFilterFields=metadata.description`', (r) => lat(r.phases.latency?.endpoints.fullTextDescription, r)],
  ['full text, bare term (extra)', (r) => lat(r.phases.latency?.endpoints.fullTextBare, r)],
  ['`entity-facets?facet=spec.type&filter=kind=component`', (r) => lat(r.phases.latency?.endpoints.facetsSpecType, r)],
  ['`by-name` random component', (r) => lat(r.phases.latency?.endpoints.byName, r)],
  ['POST `by-refs`, 100 random refs', (r) => lat(r.phases.latency?.endpoints.byRefs100, r)],
  ['load avg during latency phase', (r) => v(r.phases.latency?.loadStart) + ' → ' + v(r.phases.latency?.loadEnd)],
  ['**(5) peak RSS (VmHWM, MiB)**', (r) => `**${v(r.peakRssMiB)}**`],
  ['errors', (r) => (r.errors.length ? r.errors.map((e) => e.split('\n')[0].slice(0, 120)).join('; ') : 'none')],
];
console.log(`| | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} |`);
console.log(`|---|${runs.map(() => '---').join('|')}|`);
for (const [label, fn] of rows) console.log(`| ${label} | ${runs.map(fn).join(' | ')} |`);
