#!/usr/bin/env node
// Catalog benchmark: cold ingest, no-change refresh, idle CPU, 1 % change, query latency, peak RSS.
//
//   node bench/catalog.mjs --n 10000 --db pg|pglite [options]      (or: npm run bench -- catalog --n ...)
//
// Mirrors the method of the Backstage anchor (../shared/reference/backstage-bench.md): the
// corpus comes from ../shared/bench/gen-corpus.mjs (nested layout), the script spawns the
// backend itself (t = 0 is process start, migrations included), and latency is 200 sequential
// keep-alive requests per endpoint after 10 warm-ups. See bench/README.md for every option.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFreshDatabase, pgBackendPids, psql } from './lib/db.mjs';
import { statementDiff, statementSnapshot, statementsUnavailable } from './lib/pgStatements.mjs';
import { loadAverage, machineCpu, machineCpuShare, phaseFigures, processCpuSeconds, processMemory, round, snapshot } from './lib/proc.mjs';
import { prng, summarize } from './lib/stats.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const GEN = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    db: { type: 'string' },
    full: { type: 'boolean', default: false },
    'sample-during': { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    port: { type: 'string' },
    'poll-ms': { type: 'string', default: '500' },
    'timeout-s': { type: 'string', default: '1800' },
    'idle-s': { type: 'string', default: '30' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '10' },
    'refresh-interval': { type: 'string', default: '120' },
    'request-timeout-s': { type: 'string', default: '30' },
    'endpoint-budget-s': { type: 'string', default: '180' },
    analyze: { type: 'boolean', default: false },
    statements: { type: 'boolean', default: false },
    plugins: { type: 'string', default: 'catalog' },
    'scheduled-refresh': { type: 'boolean', default: true },
    'no-scheduled-refresh': { type: 'boolean', default: false },
    'skip-change': { type: 'boolean', default: false },
    out: { type: 'string' },
    label: { type: 'string', default: '' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});

const N = Number(opt.n);
const FULL = opt.full;
// `--full` without `--db`: the product on Postgres, then on PGlite, one run each, summarised together.
if (FULL && !opt.db) await runBothDatabases();
const DB = opt.db ?? 'pglite';
const PORT = Number(opt.port ?? (DB === 'pg' ? 17951 : 17953));
if (!Number.isInteger(N) || N < 10) fail('--n must be an integer >= 10');
if (PORT < 17900 || PORT > 17999) fail('--port must be in 17900-17999 (other ports are taken by other work on this machine)');
const POLL_MS = Number(opt['poll-ms']);
const TIMEOUT_S = Number(opt['timeout-s']);
const IDLE_S = Number(opt['idle-s']);
const REQUESTS = Number(opt.requests);
const WARMUP = Number(opt.warmup);
const REFRESH_INTERVAL = Number(opt['refresh-interval']);
const REQUEST_TIMEOUT_S = Number(opt['request-timeout-s']);
const PLUGINS = FULL ? 'all' : opt.plugins;
const SAMPLE_DURING = FULL || opt['sample-during'];
const FLOOR = FULL || opt.floor;
if (!['catalog', 'all'].includes(PLUGINS)) fail('--plugins must be catalog (catalog + system plugin, like the Backstage anchor) or all (`atrium start`)');
const ENDPOINT_BUDGET_S = Number(opt['endpoint-budget-s']);
if (opt.analyze && DB !== 'pg') fail('--analyze needs --db pg (it runs ANALYZE through psql)');
const WAIT_SCHEDULED = opt['scheduled-refresh'] && !opt['no-scheduled-refresh'];
const BASE = `http://127.0.0.1:${PORT}/api/catalog`;

// ---------- the port must be free: other benchmarks on this machine use the same range ----------
if (await portAnswers(PORT)) fail(`port ${PORT} is already in use (another benchmark?); pick another with --port 17900-17999`);

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const runId = `${N}_${DB}_${stamp}`;
const outRoot = path.resolve(opt.out ?? path.join(repoRoot, 'bench/out'));
const runDir = path.join(outRoot, 'runs', `catalog-${runId}`);
fs.mkdirSync(runDir, { recursive: true });

// ---------- corpus: generated once per N (deterministic), copied per run because phase 3 edits it ----------
const cachedCorpus = path.join(outRoot, `corpus-${N}`);
if (!fs.existsSync(path.join(cachedCorpus, 'manifest.json'))) {
  log(`generating corpus N=${N} in ${cachedCorpus}`);
  await runNode([GEN, String(N), cachedCorpus]);
}
const corpus = path.join(runDir, 'corpus');
fs.cpSync(cachedCorpus, corpus, { recursive: true });
const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
const EXPECTED_TOTAL = manifest.expectedCatalogTotal;
const componentNames = manifest.componentNames;
if (componentNames.length !== N) fail(`manifest lists ${componentNames.length} component names, expected ${N}`);

// ---------- database and config ----------
const database = createFreshDatabase(DB, runId);
// --statements: Postgres time per statement in the read, the stitch and the plugins' catch-up.
const statements = opt.statements && DB === 'pg' ? openStatements() : null;
const configFile = path.join(runDir, 'bench-config.yaml');
const EXAMPLES = path.join(repoRoot, 'catalog-examples/all.yaml');
// --full: the config `npm start` reads (app-config.yaml and app-config.local.yaml from the
// repository root) with this file last. Arrays are replaced, so the locations list is the
// examples (as in app-config.yaml) plus the corpus; the data directory is the run's own.
// Otherwise only this file applies (the backend starts in the run directory).
const locationTargets = [...(FULL && fs.existsSync(EXAMPLES) ? [EXAMPLES] : []), path.join(corpus, 'all.yaml')];
const databaseConfig =
  FULL && DB === 'pglite'
    ? [] // npm start's default: PGlite in <dataDir>/data
    : [`  database: ${JSON.stringify(database.config)}`];
fs.writeFileSync(
  configFile,
  [
    '# Written by bench/catalog.mjs for one run.',
    'backend:',
    `  baseUrl: http://127.0.0.1:${PORT}`,
    '  listen:',
    `    port: ${PORT}`,
    ...(FULL ? [`  dataDir: ${JSON.stringify(DB === 'pglite' ? path.dirname(database.dataDir) : path.join(runDir, '.atrium'))}`] : []),
    ...databaseConfig,
    ...(FULL ? [] : ['# Guest on under NODE_ENV=production: the requests come from the benchmark itself.', 'auth:', '  allowGuestInProduction: true']),
    'catalog:',
    `  refreshIntervalSeconds: ${REFRESH_INTERVAL}`,
    ...(process.env.BENCH_READ_WORKERS ? [`  readWorkers: ${Number(process.env.BENCH_READ_WORKERS)}`] : []),
    '  locations:',
    ...locationTargets.map((target) => `    - { type: file, target: ${JSON.stringify(target)} }`),
    '',
  ].join('\n'),
);
// With the examples beside it, counts are of the corpus's own entities (its origin location).
const CORPUS_FILTER = FULL ? `metadata.annotations.backstage.io/managed-by-origin-location=file:${path.join(corpus, 'all.yaml')}` : null;
const floor = FLOOR ? measureFloor() : null;

const result = {
  bench: 'catalog',
  runId,
  label: opt.label,
  date: new Date().toISOString(),
  n: N,
  db: DB,
  database: database.describe,
  node: process.version,
  catalogBuild: catalogBuild(),
  machine: { cores: (await import('node:os')).cpus().length, memGiB: round((await import('node:os')).totalmem() / 2 ** 30, 1) },
  corpus: { entities: manifest.total, locations: manifest.locations, expectedCatalogTotal: EXPECTED_TOTAL, files: manifest.files, layout: manifest.layout },
  floor,
  settings: {
    plugins: FULL
      ? 'all, as npm start (app-config.yaml + the examples + the corpus)'
      : PLUGINS === 'all'
        ? 'all (atrium start)'
        : 'catalog + system only (bench/lib/catalog-backend.mjs)',
    sampleDuringIngest: SAMPLE_DURING,
    analyzeAfterIngest: opt.analyze,
    statements: statements ? 'pg_stat_statements, by phase' : opt.statements ? `unavailable${DB === 'pg' ? '' : ' (Postgres server only)'}` : false,
    requestTimeoutS: REQUEST_TIMEOUT_S,
    endpointBudgetS: ENDPOINT_BUDGET_S,
    pollMs: POLL_MS,
    refreshIntervalSeconds: REFRESH_INTERVAL,
    idleS: IDLE_S,
    requests: REQUESTS,
    warmup: WARMUP,
  },
  loadAtStart: loadAverage(),
  phases: {},
  errors: [],
};
const timeline = [];
let snapshotAtForcedEnd = null; // end of the forced refresh: start of a no-change refresh cycle

// ---------- start the backend: t = 0 ----------
const logFile = fs.openSync(path.join(runDir, 'backend.log'), 'w');
const t0 = performance.now();
const spawnEpochMs = Date.now();
const cpu0 = machineCpu();
const entry = PLUGINS === 'all' ? [path.join(repoRoot, 'packages/cli/bin/atrium.js'), 'start'] : [path.join(repoRoot, 'bench/lib/catalog-backend.mjs')];
const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []; // e.g. --cpu-prof
const backend = spawn(process.execPath, [...nodeArgs, ...entry, '--config', configFile], {
  // --full starts in the repository root, as npm start does; otherwise the run directory has no
  // app-config.yaml, so only the bench config applies.
  cwd: FULL ? repoRoot : runDir,
  env: FULL
    ? { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }
    : { ...process.env, NODE_ENV: 'production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
  stdio: ['ignore', logFile, logFile],
});
const pid = backend.pid;
let exited = null;
backend.on('exit', (code, signal) => {
  exited = { code, signal };
});
const since = () => (performance.now() - t0) / 1000;
let shuttingDown = false;
const onSignal = async () => {
  if (shuttingDown) return;
  shuttingDown = true;
  await shutdown();
  process.exit(130);
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

log(`run ${runId}: backend pid ${pid}, port ${PORT}, ${database.describe}, corpus ${manifest.total} entities (${EXPECTED_TOTAL} expected incl. locations)`);

try {
  await phaseIngest();
  if (PLUGINS === 'all' && result.phases.ingest?.done) await phaseScorecardsCaughtUp();
  if (PLUGINS === 'all' && result.phases.ingest?.done && database.pgDatabase) await phaseTechdocsSettled();
  if (statements) result.phases.statements = statements.phases();
  if (opt.analyze) {
    // Diagnostic only: what autovacuum's analyze would give (it is off on the CI cluster, absent in PGlite).
    const t = performance.now();
    psql('analyze', database.pgDatabase);
    result.phases.analyze = { wallS: round((performance.now() - t) / 1000, 2) };
    log(`ran ANALYZE on ${database.pgDatabase} in ${result.phases.analyze.wallS} s`);
  }
  const location = await configLocation();
  await phaseNoChangeRefresh(location);
  await phaseIdle(location);
  if (WAIT_SCHEDULED) await phaseScheduledRefresh(location);
  if (!opt['skip-change']) await phaseChange();
  await phaseLatency();
  result.locationStatusAtEnd = await getJson(`/locations/${location.id}/status`).catch(() => null);
} catch (e) {
  result.errors.push(String(e?.stack ?? e));
  log(`ERROR: ${e?.message ?? e}`);
} finally {
  const mem = processMemory(pid);
  result.peakRssMiB = mem ? round(mem.hwmMiB, 0) : null;
  result.rssAtEndMiB = mem ? round(mem.rssMiB, 0) : null;
  result.backendCpuTotalS = round(processCpuSeconds(pid), 1);
  result.machineCpuWholeRun = round(machineCpuShare(cpu0, machineCpu()), 3);
  result.wallS = round(since(), 1);
  result.loadAtEnd = loadAverage();
  await shutdown();
}

fs.writeFileSync(path.join(runDir, 'result.json'), JSON.stringify(result, null, 2));
fs.writeFileSync(path.join(runDir, 'timeline.json'), JSON.stringify(timeline));
printReport();
console.log(`BENCH_JSON ${JSON.stringify(result)}`);
process.exit(result.errors.length ? 1 : 0);

// =====================================================================================
// Phases
// =====================================================================================

/** (1) cold ingest: poll until every component, every entity and the sampled groups' ownerOf are served. */
async function phaseIngest() {
  const start = snapshot(pid);
  start.at = t0; // t = 0 is process start
  start.machine = cpu0;
  const t = { httpUp: null, firstEntity: null, components: null, allVisible: null, groupsComplete: null, done: null };
  let polls = 0;
  let peakRss = 0;
  let maxPollS = 0;
  const sampler = SAMPLE_DURING ? sampleDuringIngest() : null;
  try {
    for (;;) {
      if (exited) throw new Error(`backend exited during ingestion (${JSON.stringify(exited)}); see ${runDir}/backend.log`);
      if (since() > TIMEOUT_S) {
        result.phases.ingest = { timedOut: true, timeoutS: TIMEOUT_S, ...t, last: timeline.at(-1) };
        throw new Error(`ingestion not done after ${TIMEOUT_S} s (last poll: ${JSON.stringify(timeline.at(-1))})`);
      }
      const point = { t: null, sent: round(since(), 2) };
      try {
        point.components = await totalItems(corpusFilter('kind=component'));
        // The unfiltered count scans the entities table while few are stitched: every 5th poll until components = N.
        if (point.components === N || polls % 5 === 0) point.all = await totalItems(corpusFilter(''));
        // Conditions count from when the answers arrived (on PGlite a poll can wait seconds behind processing).
        point.t = round(since(), 2);
        maxPollS = Math.max(maxPollS, point.t - point.sent);
        if (t.httpUp === null) t.httpUp = point.t;
        if (t.firstEntity === null && point.all > 0) {
          t.firstEntity = point.t;
          statements?.mark('firstEntity');
        }
        if (t.components === null && point.components === N) t.components = point.t;
        if (t.allVisible === null && point.all === EXPECTED_TOTAL) t.allVisible = point.t;
        if (point.components === N && t.groupsComplete === null) {
          const groups = await sampleGroupsOwnerOf();
          point.groups = groups.map((g) => g.ownerOf);
          if (groups.every((g) => g.ownerOf === g.expected)) t.groupsComplete = round(since(), 2);
        }
      } catch (e) {
        point.t = round(since(), 2);
        point.error = String(e.message ?? e).slice(0, 200);
      }
      const mem = processMemory(pid);
      if (mem) peakRss = Math.max(peakRss, mem.rssMiB);
      point.rssMiB = mem ? round(mem.rssMiB, 0) : null;
      point.cpuS = round(processCpuSeconds(pid), 1);
      point.load1 = loadAverage().one;
      // Row counts during the ingest come from the statistics counters (no scan): exact counts of three
      // growing tables took ~290 ms of Postgres time a poll at 10k, inside the window being measured.
      if (database.pgDatabase && t.httpUp !== null && (polls % 10 === 0 || point.components === N)) point.db = pgCounts({ estimate: true });
      timeline.push(point);
      polls++;
      if (polls % Math.max(1, Math.round(10_000 / POLL_MS)) === 0 || (t.components !== null && t.done === null)) {
        log(
          `  t=${point.t}s components=${point.components ?? '-'}/${N} all=${point.all ?? '-'}/${EXPECTED_TOTAL} rss=${point.rssMiB}MiB cpu=${point.cpuS}s${point.db ? ` db=${JSON.stringify(point.db)}` : ''}${point.error ? ` (${point.error})` : ''}`,
        );
      }
      if (t.components !== null && t.allVisible !== null && t.groupsComplete !== null) {
        t.done = Math.max(t.components, t.allVisible, t.groupsComplete);
        statements?.mark('done');
        break;
      }
      await sleep(POLL_MS);
    }
  } finally {
    sampler?.stop();
  }
  const during = sampler ? await sampler.done : null;
  const end = snapshot(pid);
  // Backstage's "(a) done" was components = N plus the sampled groups; ours also needs every entity visible.
  t.backstageCriterion = Math.max(t.components, t.groupsComplete);
  const pending = database.pgDatabase ? pgCounts() : null;
  result.phases.ingest = {
    ...t,
    ...phaseFigures(start, end),
    peakRssDuringMiB: round(peakRss, 0),
    visiblePerMin: round((EXPECTED_TOTAL / t.done) * 60, 0),
    pgCountsAtDone: pending,
    polls,
    slowestPollS: round(maxPollS, 2),
    ...(floor ? { floorS: floor.floorS, timesFloor: round(t.done / floor.floorS, 1) } : {}),
    ...(during ? { latencyDuring: during } : {}),
  };
  log(
    `(1) ingest done at ${t.done} s (components ${t.components} s, all visible ${t.allVisible} s, groups ${t.groupsComplete} s); backend CPU ${result.phases.ingest.backendCpuS} s`,
  );
}

/**
 * (1b) With every plugin: when Scorecards had evaluated every entity of the ingest. Its status
 * (`GET /api/scorecards/status`, `catalogChanges`) says when its queue of catalog changes last
 * became empty (`caughtUpAt`, after it heard the ingest's changes); polled until it is idle.
 */
async function phaseScorecardsCaughtUp() {
  const url = `http://127.0.0.1:${PORT}/api/scorecards/status`;
  const started = performance.now();
  while ((performance.now() - started) / 1000 < 600) {
    const res = await fetch(url).catch(() => undefined);
    const body = res?.ok ? await res.json() : undefined;
    const c = body?.catalogChanges;
    if (c?.idle && c.caughtUpAt && c.entities >= EXPECTED_TOTAL) {
      const at = round((Date.parse(c.caughtUpAt) - spawnEpochMs) / 1000, 2);
      result.phases.scorecards = { caughtUpS: at, afterIngestS: round(at - result.phases.ingest.done, 2), batches: c.batches, entities: c.entities };
      log(`(1b) scorecards caught up at ${at} s (${result.phases.scorecards.afterIngestS} s after the ingest; ${c.entities} entities in ${c.batches} batches)`);
      statements?.mark('scorecards');
      return;
    }
    if (!res?.ok && res?.status !== 503) {
      result.phases.scorecards = { error: `GET /api/scorecards/status answered ${res?.status ?? 'nothing'}` };
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  result.phases.scorecards = { timedOut: true };
}

/**
 * (1c) With every plugin, on Postgres: when TechDocs had built (or failed to build) the docs of
 * every entity with a techdocs-ref annotation: nothing queued or claimed in docs_entities, read
 * through psql every 500 ms; the time is that of the last build's finish.
 */
async function phaseTechdocsSettled() {
  const started = performance.now();
  let table;
  while ((performance.now() - started) / 1000 < 900) {
    try {
      table ??=
        psql(`select quote_ident(table_schema) || '.docs_entities' from information_schema.tables where table_name = 'docs_entities'`, database.pgDatabase) ||
        undefined;
      if (table) {
        const [total, waiting, lastMs] = psql(
          `select count(*), count(*) filter (where build_requested_at is not null or claimed_by is not null),
             coalesce(extract(epoch from max(last_build_finished_at)) * 1000, 0)::bigint from ${table}`,
          database.pgDatabase,
        ).split('|');
        if (Number(total) > 0 && Number(waiting) === 0) {
          const at = round((Number(lastMs) - spawnEpochMs) / 1000, 2);
          result.phases.techdocs = { settledS: at, afterIngestS: round(at - result.phases.ingest.done, 2), entities: Number(total) };
          log(`(1c) TechDocs settled at ${at} s (${result.phases.techdocs.afterIngestS} s after the ingest; ${total} entities with docs)`);
          return;
        }
      }
    } catch {
      /* not migrated yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  result.phases.techdocs = { timedOut: true };
}

/** (2) no-change refresh of everything: POST /refresh on an entity of the (single, config) location forces a full re-read and re-apply. */
async function phaseNoChangeRefresh(location) {
  const sampleRefs = randomComponentRefs(100, 7);
  const before = await etagsOf(sampleRefs);
  let status0 = await getJson(`/locations/${location.id}/status`);
  // A scheduled refresh that fell due during a long ingest runs first; let it finish so it is not timed here.
  let waitedS = 0;
  if (Date.parse(status0.nextRefreshAt) <= Date.now()) {
    const w = performance.now();
    log('(2) a scheduled refresh is due: waiting for it to finish first');
    while ((performance.now() - w) / 1000 < 900) {
      const s = await getJson(`/locations/${location.id}/status`);
      if (s.lastReadAt !== status0.lastReadAt) break;
      await sleep(250);
    }
    waitedS = round((performance.now() - w) / 1000, 1);
    status0 = await getJson(`/locations/${location.id}/status`);
  }
  const start = snapshot(pid);
  const post = timedPost('/refresh', { entityRef: `component:default/${componentNames[0]}` });
  const status = await waitForRead(location, status0.lastReadAt, 600);
  const postMs = await post;
  const end = snapshot(pid);
  const after = await etagsOf(sampleRefs);
  const unchanged = sampleRefs.every((r) => before.get(r) === after.get(r));
  result.phases.refreshForced = {
    ...phaseFigures(start, end),
    postMs: round(postMs, 0),
    lastReadAt: status.lastReadAt,
    entityCount: status.entityCount,
    locationErrors: status.errors.length,
    sampleEtagsUnchanged: unchanged,
    waitedForScheduledRefreshS: waitedS,
  };
  log(
    `(2) forced no-change refresh: ${result.phases.refreshForced.wallS} s (POST ${round(postMs / 1000, 2)} s), backend CPU ${result.phases.refreshForced.backendCpuS} s, etags unchanged: ${unchanged}`,
  );
}

/** (2b) idle: no requests at all for IDLE_S seconds; CPU of the backend (and of its Postgres sessions). */
async function phaseIdle(location) {
  const status = await getJson(`/locations/${location.id}/status`);
  const pgPids = database.pgDatabase ? pgBackendPids(database.pgDatabase) : [];
  const pgCpu0 = pgPids.map((p) => processCpuSeconds(p));
  const start = snapshot(pid);
  await sleep(IDLE_S * 1000);
  const end = snapshot(pid);
  const pgCpu1 = pgPids.map((p) => processCpuSeconds(p));
  const pgCpu = pgPids.reduce((sum, _p, i) => (pgCpu0[i] !== null && pgCpu1[i] !== null ? sum + (pgCpu1[i] - pgCpu0[i]) : sum), 0);
  const f = phaseFigures(start, end);
  const statusAfter = await getJson(`/locations/${location.id}/status`);
  result.phases.idle = {
    ...f,
    backendCpuPctOfCore: round((f.backendCpuS / f.wallS) * 100, 2),
    pgSessions: pgPids.length,
    pgSessionsCpuS: database.pgDatabase ? round(pgCpu, 2) : null,
    scheduledRefreshInWindow: statusAfter.lastReadAt !== status.lastReadAt,
    nextRefreshAt: status.nextRefreshAt,
  };
  log(
    `(2b) idle ${f.wallS} s: backend CPU ${f.backendCpuS} s (${result.phases.idle.backendCpuPctOfCore} % of a core)${database.pgDatabase ? `, Postgres sessions ${round(pgCpu, 2)} s` : ''}`,
  );
}

/**
 * (2c) the scheduled refresh (catalog.refreshIntervalSeconds) of unchanged content: the
 * location is re-read and its content hash matches, so nothing is re-applied. Also gives the
 * catalog's average CPU over a whole refresh cycle with no changes.
 */
async function phaseScheduledRefresh(location) {
  const status0 = await getJson(`/locations/${location.id}/status`);
  const cycleStart = result.phases.refreshForced ? snapshotAtForcedEnd : null;
  const start = snapshot(pid);
  const dueInS = (Date.parse(status0.nextRefreshAt) - Date.now()) / 1000;
  log(`(2c) waiting ${round(dueInS, 0)} s for the scheduled refresh`);
  let claimedAt = null;
  let lastStatus = status0;
  for (;;) {
    if (exited) throw new Error('backend exited');
    const s = await getJson(`/locations/${location.id}/status`);
    if (claimedAt === null && s.nextRefreshAt !== status0.nextRefreshAt) claimedAt = snapshot(pid);
    if (s.lastReadAt !== status0.lastReadAt) {
      lastStatus = s;
      break;
    }
    if ((performance.now() - start.at) / 1000 > dueInS + 900) throw new Error('scheduled refresh did not happen');
    await sleep(200);
  }
  const end = snapshot(pid);
  const read = claimedAt ? phaseFigures(claimedAt, end) : null;
  const cycle = cycleStart ? phaseFigures(cycleStart, end) : null;
  result.phases.refreshScheduled = {
    claimToFinish: read,
    cycle: cycle ? { ...cycle, backendCpuPctOfCore: round((cycle.backendCpuS / cycle.wallS) * 100, 2) } : null,
    lastReadAt: lastStatus.lastReadAt,
  };
  log(
    `(2c) scheduled no-change refresh: ${read?.wallS} s, backend CPU ${read?.backendCpuS} s; whole cycle ${cycle?.wallS} s at ${result.phases.refreshScheduled.cycle?.backendCpuPctOfCore} % of a core`,
  );
}

/** (3) 1 % change: new descriptions for every 100th component, then a refresh; until all are served. */
async function phaseChange() {
  const marker = `bench change ${stamp}`;
  const changed = new Map();
  for (let i = 0; i < N; i += 100) changed.set(componentNames[i], `${marker} ${componentNames[i]}`);
  const refs = [...changed.keys()].map((n) => `component:default/${n}`);
  const files = rewriteDescriptions(changed);
  const start = snapshot(pid);
  const post = timedPost('/refresh', { entityRef: refs[0] });
  let served = null;
  let polls = 0;
  for (;;) {
    if (exited) throw new Error('backend exited');
    const r = await postJson('/entities/by-refs', { entityRefs: refs, fields: ['kind', 'metadata.name', 'metadata.description'] });
    polls++;
    const ok = r.items.filter((e, i) => e && e.metadata.description === changed.get(refs[i].split('/')[1])).length;
    if (ok === refs.length) {
      served = snapshot(pid);
      break;
    }
    if ((performance.now() - start.at) / 1000 > 900) throw new Error(`changed entities not served after 900 s (${ok}/${refs.length})`);
    await sleep(100);
  }
  const postMs = await post;
  const end = snapshot(pid);
  result.phases.change = {
    changedEntities: refs.length,
    filesRewritten: files,
    ...phaseFigures(start, served),
    postMs: round(postMs, 0),
    backendCpuToPostReturnS: round(end.cpu - start.cpu, 2),
    polls,
  };
  log(`(3) 1 % change (${refs.length} components in ${files} files): served after ${result.phases.change.wallS} s (POST ${round(postMs / 1000, 2)} s)`);
}

/** (4) latency: 200 sequential keep-alive requests per endpoint after 10 warm-ups (same as the Backstage anchor). */
async function phaseLatency() {
  const endpoints = latencyEndpoints(prng(0xbe7c4 ^ N));
  const out = {};
  const phaseStart = snapshot(pid);
  for (const ep of endpoints) {
    // What the query returns, once: hit counts make the figures interpretable.
    let probe = null;
    try {
      if (!ep.body) probe = await getJson(ep.path(), REQUEST_TIMEOUT_S);
    } catch (e) {
      probe = { error: String(e.message ?? e) };
    }
    const samples = [];
    let errors = 0;
    const start = snapshot(pid);
    let timeouts = 0;
    let truncated = false;
    const warmupMs = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      if ((performance.now() - start.at) / 1000 > ENDPOINT_BUDGET_S || timeouts >= 3) {
        truncated = true;
        break;
      }
      const t = performance.now();
      let ms;
      try {
        const res = await fetch(BASE + ep.path(), {
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
          ...(ep.body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ep.body()) } : {}),
        });
        await res.arrayBuffer();
        ms = performance.now() - t;
        if (res.status !== 200) errors++;
      } catch (e) {
        if (e.name !== 'TimeoutError' && e.name !== 'AbortError') throw e;
        timeouts++;
        errors++;
        ms = REQUEST_TIMEOUT_S * 1000;
      }
      if (i >= WARMUP) samples.push(ms);
      else warmupMs.push(round(ms, 1));
    }
    const end = snapshot(pid);
    out[ep.key] = {
      label: ep.label,
      ...summarize(samples),
      errors,
      ...(timeouts ? { timeouts, requestTimeoutS: REQUEST_TIMEOUT_S } : {}),
      ...(samples.length < REQUESTS ? { warmupMs } : {}),
      ...(truncated ? { truncated: `stopped after ${samples.length} measured requests (budget ${ENDPOINT_BUDGET_S} s per endpoint, at most 3 timeouts)` } : {}),
      ...(probe && probe.totalItems !== undefined ? { totalItems: probe.totalItems } : {}),
      ...(probe && probe.facets ? { facetValues: Object.values(probe.facets)[0].length } : {}),
      machineCpu: phaseFigures(start, end).machineCpu,
      load1: end.load.one,
    };
  }
  result.phases.latency = { endpoints: out, ...phaseFigures(phaseStart, snapshot(pid)) };
  log(`(4) latency measured in ${result.phases.latency.wallS} s`);
}

/** The five query kinds the issue names (by-query, full text twice, facets, by-name, by-refs). */
function latencyEndpoints(rnd) {
  const term = encodeURIComponent(manifest.fullTextTerm);
  return [
    { key: 'byQueryKind', label: 'by-query `filter=kind=component&limit=50`', path: () => '/entities/by-query?filter=kind=component&limit=50' },
    {
      key: 'fullTextDescription',
      label: `by-query \`fullTextFilterTerm=${manifest.fullTextTerm}&fullTextFilterFields=metadata.description&limit=50\``,
      path: () => `/entities/by-query?fullTextFilterTerm=${term}&fullTextFilterFields=metadata.description&limit=50`,
    },
    {
      key: 'fullTextBare',
      label: `by-query \`fullTextFilterTerm=${manifest.fullTextTerm}&limit=50\` (no fields)`,
      path: () => `/entities/by-query?fullTextFilterTerm=${term}&limit=50`,
    },
    {
      key: 'facetsSpecType',
      label: '`entity-facets?facet=spec.type&filter=kind=component`',
      path: () => '/entity-facets?facet=spec.type&filter=kind=component',
    },
    {
      key: 'byName',
      label: '`entities/by-name/component/default/<random>`',
      path: () => `/entities/by-name/component/default/${componentNames[Math.floor(rnd() * N)]}`,
    },
    {
      key: 'byRefs100',
      label: 'POST `entities/by-refs`, 100 random refs',
      path: () => '/entities/by-refs',
      body: () => ({ entityRefs: Array.from({ length: 100 }, () => `component:default/${componentNames[Math.floor(rnd() * N)]}`) }),
    },
  ];
}

/**
 * Query latency *during* the ingest: the endpoints of phase (4) in turn, one request at a time
 * with 100 ms between them, from the first answer until the ingest is done (a request sent
 * before then counts even if it answers after). Refused connections before the backend listens
 * are not samples.
 */
function sampleDuringIngest() {
  const endpoints = latencyEndpoints(prng(0xd0e1 ^ N));
  const samples = Object.fromEntries(endpoints.map((ep) => [ep.key, []]));
  const errors = Object.fromEntries(endpoints.map((ep) => [ep.key, 0]));
  let stopped = false;
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      const ep = endpoints[i % endpoints.length];
      const t = performance.now();
      try {
        const res = await fetch(BASE + ep.path(), {
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_S * 1000),
          ...(ep.body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ep.body()) } : {}),
        });
        await res.arrayBuffer();
        // A request sent before the ingest was done counts, even if it answers after.
        samples[ep.key].push(performance.now() - t);
        // by-name answers 404 for a component not read yet: an answer, not an error.
        if (res.status !== 200 && !(res.status === 404 && ep.key === 'byName')) errors[ep.key]++;
      } catch (e) {
        if (e.cause?.code !== 'ECONNREFUSED') {
          samples[ep.key].push(performance.now() - t);
          errors[ep.key]++;
        }
      }
      if (!stopped) await sleep(100);
    }
    return Object.fromEntries(endpoints.map((ep) => [ep.key, { label: ep.label, ...summarize(samples[ep.key]), errors: errors[ep.key] }]));
  })();
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}

// =====================================================================================
// Helpers
// =====================================================================================

/** A by-query `filter=` parameter for `expression`, narrowed to the corpus's entities under --full. */
function corpusFilter(expression) {
  const parts = [expression, CORPUS_FILTER].filter(Boolean);
  return parts.length ? `filter=${encodeURIComponent(parts.join(','))}` : '';
}

/** bench/catalog-floor.mjs on the same corpus (best of three): parse + envelope check + COPY. */
function measureFloor() {
  if (!fs.existsSync(path.join(cachedCorpus, 'manifest.json'))) return null;
  log('measuring the floor (bench/catalog-floor.mjs: read + js-yaml + envelope + COPY, best of 3)');
  try {
    const out = execFileSync(
      process.execPath,
      [path.join(import.meta.dirname, 'catalog-floor.mjs'), '--n', String(N), '--corpus', cachedCorpus, '--runs', '3'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = out.split('\n').find((l) => l.startsWith('FLOOR_JSON '));
    const floorResult = JSON.parse(line.slice('FLOOR_JSON '.length));
    log(`floor: ${floorResult.floorS} s`);
    return { floorS: floorResult.floorS, best: floorResult.best };
  } catch (e) {
    log(`floor not measured: ${e.message}`);
    return null;
  }
}

/** --full without --db: one run on Postgres, then one on PGlite, each in its own process; then both figures side by side. */
async function runBothDatabases() {
  const args = process.argv.slice(2);
  const results = [];
  for (const db of ['pg', 'pglite']) {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [import.meta.filename, ...args, '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk) => {
        text += chunk;
        process.stdout.write(chunk);
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, text }));
    });
    const line = out.text.split('\n').find((l) => l.startsWith('BENCH_JSON '));
    results.push({ db, code: out.code, result: line ? JSON.parse(line.slice('BENCH_JSON '.length)) : null });
  }
  console.log('\n## Full product, both databases\n');
  console.log('| | Postgres | PGlite |');
  console.log('|---|---|---|');
  const cell = (fn) => results.map((r) => (r.result ? (fn(r.result) ?? '–') : `failed (exit ${r.code})`)).join(' | ');
  const p95 = (key) => (r) => {
    const e = r.phases.ingest?.latencyDuring?.[key];
    return e ? `${e.p95} (n=${e.n})` : undefined;
  };
  console.log(`| ingest done (s from spawn) | ${cell((r) => r.phases.ingest?.done)} |`);
  console.log(
    `| × the floor | ${cell((r) => (r.phases.ingest?.timesFloor ? `${r.phases.ingest.timesFloor}× (floor ${r.phases.ingest.floorS} s)` : undefined))} |`,
  );
  console.log(`| scorecards caught up (s after the ingest) | ${cell((r) => r.phases.scorecards?.afterIngestS)} |`);
  console.log(`| TechDocs settled (s after the ingest; Postgres only) | ${cell((r) => r.phases.techdocs?.afterIngestS)} |`);
  console.log(`| peak RSS (MiB) | ${cell((r) => r.peakRssMiB)} |`);
  for (const key of ['byQueryKind', 'fullTextDescription', 'fullTextBare', 'facetsSpecType', 'byName', 'byRefs100'])
    console.log(`| p95 during the ingest, ${key} (ms) | ${cell(p95(key))} |`);
  console.log(`| load average at start / end | ${cell((r) => `${r.loadAtStart.one} / ${r.loadAtEnd?.one}`)} |`);
  process.exit(results.every((r) => r.code === 0) ? 0 : 1);
}

async function totalItems(query) {
  // limit=0: only the count runs (a page query would be measured as well; see RESULTS.md).
  const r = await getJson(`/entities/by-query?${query}${query ? '&' : ''}limit=0`);
  return r.totalItems;
}

async function sampleGroupsOwnerOf() {
  return Promise.all(
    manifest.sampleGroups.map(async (g) => {
      const res = await fetchRetry(`${BASE}/entities/by-name/group/default/${g.name}`);
      if (res.status !== 200) {
        await res.arrayBuffer();
        return { name: g.name, expected: g.ownerOf, ownerOf: -1 };
      }
      const e = await res.json();
      return { name: g.name, expected: g.ownerOf, ownerOf: (e.relations ?? []).filter((r) => r.type === 'ownerOf').length };
    }),
  );
}

async function configLocation() {
  const all = await getJson('/locations');
  const target = path.join(corpus, 'all.yaml');
  const found = all.map((l) => l.data ?? l).find((l) => l.target === target);
  if (!found) throw new Error(`no location with target ${target} in GET /locations`);
  return found;
}

/** Polls a location's status until lastReadAt differs from `previous`. */
async function waitForRead(location, previous, timeoutS) {
  const start = performance.now();
  for (;;) {
    const s = await getJson(`/locations/${location.id}/status`);
    if (s.lastReadAt && s.lastReadAt !== previous) {
      snapshotAtForcedEnd = snapshot(pid);
      return s;
    }
    if ((performance.now() - start) / 1000 > timeoutS) throw new Error(`location not re-read within ${timeoutS} s`);
    await sleep(100);
  }
}

async function etagsOf(refs) {
  const r = await postJson('/entities/by-refs', { entityRefs: refs, fields: ['kind', 'metadata.name', 'metadata.etag'] });
  return new Map(r.items.map((e, i) => [refs[i], e?.metadata?.etag ?? null]));
}

function randomComponentRefs(count, seed) {
  const rnd = prng(seed ^ N);
  return Array.from({ length: count }, () => `component:default/${componentNames[Math.floor(rnd() * N)]}`);
}

/** Rewrites the description line of the named components in the run's corpus copy; returns the number of files changed. */
function rewriteDescriptions(changed) {
  const dir = path.join(corpus, 'entities');
  let filesChanged = 0;
  let found = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const full = path.join(dir, file);
    const docs = fs.readFileSync(full, 'utf8').split(/^---$/m);
    let touched = false;
    for (let i = 0; i < docs.length; i++) {
      if (!/^kind: Component$/m.test(docs[i])) continue;
      const name = /^ {2}name: (\S+)$/m.exec(docs[i])?.[1];
      const description = name && changed.get(name);
      if (!description) continue;
      const replaced = docs[i].replace(/^ {2}description: .*$/m, `  description: ${JSON.stringify(description)}`);
      if (replaced === docs[i]) throw new Error(`component ${name} in ${file} has no description line`);
      docs[i] = replaced;
      touched = true;
      found++;
    }
    if (touched) {
      fs.writeFileSync(full, docs.join('---'));
      filesChanged++;
    }
  }
  if (found !== changed.size) throw new Error(`rewrote ${found} descriptions, expected ${changed.size}`);
  return filesChanged;
}

/**
 * Row counts straight from the catalog schema (entities, pending stitches, stitched), for either
 * schema version. With `estimate`, the statistics collector's live-row counters instead (they
 * lag commits by up to a second, and cost no scan).
 */
function pgCounts({ estimate = false } = {}) {
  const queries = estimate
    ? [
        `select coalesce(sum(n_live_tup) filter (where relname = 'entities'), 0), coalesce(sum(n_live_tup) filter (where relname = 'stitch_queue'), 0),
                coalesce(sum(n_live_tup) filter (where relname = 'final_entities'), 0)
           from pg_stat_user_tables where schemaname = 'catalog'`,
      ]
    : [
        // entities + stitch_queue + final_entities (since 13:25 on 2026-11-21)
        `select (select count(*) from catalog.entities), (select count(*) from catalog.stitch_queue), (select count(*) from catalog.final_entities)`,
        // entities with needs_stitch and final columns (before)
        `select count(*), count(*) filter (where needs_stitch), count(*) filter (where final is not null) from catalog.entities`,
      ];
  for (const q of queries) {
    try {
      const [rowsTotal, pendingStitch, finals] = psql(q, database.pgDatabase).split('|');
      return { rows: Number(rowsTotal), pendingStitch: Number(pendingStitch), final: Number(finals) };
    } catch {
      /* other schema version, or not migrated yet */
    }
  }
  return null;
}

/** Which build of the catalog backend ran: newest mtime and a hash of plugins/catalog/dist/backend. */
function catalogBuild() {
  const dir = path.join(repoRoot, 'plugins/catalog/dist/backend');
  const hash = createHash('sha1');
  let newest = 0;
  const walk = (d) => {
    for (const f of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, f.name);
      if (f.isDirectory()) walk(full);
      else if (f.name.endsWith('.js')) {
        hash.update(f.name).update(fs.readFileSync(full));
        newest = Math.max(newest, fs.statSync(full).mtimeMs);
      }
    }
  };
  try {
    walk(dir);
    return { distNewestMtime: new Date(newest).toISOString(), distSha1: hash.digest('hex').slice(0, 12) };
  } catch {
    return null;
  }
}

/**
 * fetch for status polls, retried on network errors: a keep-alive socket the server closes just
 * as a request goes out fails with "fetch failed" (seen once at 100k when the backend's event
 * loop was busy). Latency samples do not use this: there an error counts as an error.
 */
async function fetchRetry(url, init = {}, attempts = 4) {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, init);
    } catch (e) {
      if (i >= attempts || e.name === 'TimeoutError' || e.name === 'AbortError' || e.cause?.code === 'ECONNREFUSED') throw e;
      result.retries = (result.retries ?? 0) + 1;
      log(`  retrying ${url.replace(BASE, '')} after: ${e.message}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ''}`);
      await sleep(500 * i);
    }
  }
}

async function getJson(p, timeoutS = 600) {
  const res = await fetchRetry(BASE + p, { signal: AbortSignal.timeout(timeoutS * 1000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function postJson(p, body) {
  const res = await fetchRetry(BASE + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${p}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** POSTs and resolves to the wall time in ms once the response is complete. */
async function timedPost(p, body) {
  const t = performance.now();
  const res = await fetch(BASE + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`POST ${p}: ${res.status} ${text.slice(0, 200)}`);
  return performance.now() - t;
}

async function shutdown() {
  if (!exited && pid) {
    backend.kill('SIGTERM');
    const deadline = Date.now() + 20_000;
    while (!exited && Date.now() < deadline) await sleep(100);
    if (!exited) backend.kill('SIGKILL');
    while (!exited) await sleep(50);
  }
  if (!opt.keep) {
    database.cleanup();
    fs.rmSync(corpus, { recursive: true, force: true });
  }
}

function runNode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited with ${code}`))));
  });
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function log(message) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function fail(message) {
  console.error(`bench/catalog.mjs: ${message}`);
  process.exit(2);
}

function printReport() {
  const p = result.phases;
  const rows = [];
  const row = (k, v) => rows.push(`| ${k} | ${v ?? '–'} |`);
  const lat = (e) =>
    e
      ? `${e.p50} / ${e.p95} / ${e.p99}${e.n < REQUESTS ? ` (only ${e.n} requests)` : ''}${e.errors ? ` (${e.errors} errors${e.timeouts ? `, ${e.timeouts} timeouts at ${e.requestTimeoutS} s` : ''})` : ''}`
      : '–';
  row('N components (entities expected)', `${N} (${EXPECTED_TOTAL})`);
  row('database', result.database);
  row('backend plugins', result.settings.plugins);
  row('load average 1 min at start / end', `${result.loadAtStart.one} / ${result.loadAtEnd?.one}`);
  if (p.ingest) {
    row('backend answering HTTP (s)', p.ingest.httpUp);
    row('components = N (s)', p.ingest.components);
    row('sampled groups have full ownerOf (s)', p.ingest.groupsComplete);
    row('all entities visible (s)', p.ingest.allVisible);
    row('**(1) done: all three (s)**', `**${p.ingest.done ?? 'not reached'}**`);
    row('visible entities / min', p.ingest.visiblePerMin);
    if (p.scorecards?.caughtUpS !== undefined) row('scorecards caught up (s; after the ingest)', `${p.scorecards.caughtUpS} (+${p.scorecards.afterIngestS})`);
    if (p.techdocs?.settledS !== undefined)
      row(
        'TechDocs settled: every docs build finished (s; after the ingest)',
        `${p.techdocs.settledS} (+${p.techdocs.afterIngestS}; ${p.techdocs.entities} entities)`,
      );
    if (p.ingest.timesFloor) row('× the floor (parse + envelope + COPY, bench/catalog-floor.mjs)', `${p.ingest.timesFloor}× (floor ${p.ingest.floorS} s)`);
    for (const e of Object.values(p.ingest.latencyDuring ?? {}))
      row(`p50 / p95 / p99 during the ingest: ${e.label} (ms)`, `${e.p50} / ${e.p95} / ${e.p99} (n=${e.n}${e.errors ? `, ${e.errors} errors` : ''})`);
    row('slowest status poll during ingest (2 count queries) (s)', p.ingest.slowestPollS);
    row('backend CPU s during ingest / machine CPU', `${p.ingest.backendCpuS} / ${pct(p.ingest.machineCpu)}`);
    row('load 1 min during ingest (start → done)', `${p.ingest.loadStart} → ${p.ingest.loadEnd}`);
  }
  if (p.refreshForced)
    row(
      '**(2) forced no-change refresh of everything (s)**',
      `**${p.refreshForced.wallS}** (backend CPU ${p.refreshForced.backendCpuS} s, etags unchanged: ${p.refreshForced.sampleEtagsUnchanged}, load ${p.refreshForced.loadEnd})`,
    );
  if (p.idle)
    row(
      `**(2b) idle CPU over ${p.idle.wallS} s**`,
      `**${p.idle.backendCpuS} CPU-s = ${p.idle.backendCpuPctOfCore} % of a core**${p.idle.pgSessionsCpuS !== null ? ` (+ Postgres sessions ${p.idle.pgSessionsCpuS} s)` : ''}, load ${p.idle.loadEnd}`,
    );
  if (p.refreshScheduled) {
    row(
      '(2c) scheduled no-change refresh (content hash) (s)',
      `${p.refreshScheduled.claimToFinish?.wallS} (backend CPU ${p.refreshScheduled.claimToFinish?.backendCpuS} s)`,
    );
    row(
      '(2c) average CPU over a whole no-change refresh cycle',
      p.refreshScheduled.cycle ? `${p.refreshScheduled.cycle.backendCpuPctOfCore} % of a core over ${p.refreshScheduled.cycle.wallS} s` : '–',
    );
  }
  if (p.change)
    row(
      `**(3) 1 % change (${p.change.changedEntities} components) served (s)**`,
      `**${p.change.wallS}** (POST /refresh ${round(p.change.postMs / 1000, 2)} s, load ${p.change.loadEnd})`,
    );
  if (p.latency) {
    for (const e of Object.values(p.latency.endpoints))
      row(`(4) ${e.label} p50 / p95 / p99 ms`, `${lat(e)}${e.totalItems !== undefined ? ` [${e.totalItems} hits]` : ''} load ${e.load1}`);
    row('machine CPU during latency phase', pct(p.latency.machineCpu));
  }
  row('**(5) peak RSS (VmHWM)**', `**${result.peakRssMiB} MiB**`);
  for (const [name, phase] of Object.entries(p.statements ?? {})) {
    row(`Postgres statements, ${name} (${phase.fromS}–${phase.toS} s): total ms`, phase.totalMs);
    for (const st of phase.top.slice(0, 6))
      row(`&nbsp;&nbsp;${st.query.slice(0, 90).replaceAll('|', '\\|')}`, `${st.ms} ms, ${st.calls} calls, ${st.rows} rows`);
  }
  row('backend CPU s whole run / wall s', `${result.backendCpuTotalS} / ${result.wallS}`);
  if (result.errors.length) row('errors', result.errors.map((e) => e.split('\n')[0]).join('; '));
  console.log(`\n## catalog bench ${runId}\n\n| figure | value |\n|---|---|\n${rows.join('\n')}\n\nraw: ${runDir}/result.json\n`);
}

/**
 * pg_stat_statements snapshots of the run's database at spawn, first entity served, ingest done
 * and Scorecards caught up; `phases()` gives what ran between them (read, stitch, after the
 * ingest). Null, with the reason logged, when the server does not preload the module.
 */
function openStatements() {
  const why = statementsUnavailable(database.pgDatabase);
  if (why) {
    log(`--statements: ${why}; no per-statement figures`);
    return null;
  }
  const marks = [{ name: 'spawn', at: 0, snapshot: statementSnapshot(database.pgDatabase) }];
  return {
    mark(name) {
      marks.push({ name, at: round(since(), 2), snapshot: statementSnapshot(database.pgDatabase) });
    },
    phases() {
      const label = {
        firstEntity: 'read (to the first entity served)',
        done: 'stitch (to the ingest done)',
        scorecards: 'after the ingest (to Scorecards caught up)',
      };
      const out = {};
      for (let i = 1; i < marks.length; i++) {
        out[label[marks[i].name] ?? marks[i].name] = { fromS: marks[i - 1].at, toS: marks[i].at, ...statementDiff(marks[i - 1].snapshot, marks[i].snapshot) };
      }
      return out;
    },
  };
}

function pct(x) {
  return x === null || x === undefined ? '–' : `${round(x * 100, 0)} %`;
}
