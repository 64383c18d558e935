#!/usr/bin/env node
// Load on the running product: the full `atrium start` (every default plugin) on a fresh database
// holding a generated catalog of N components, then autocannon with C connections against the
// catalog's most-used reads. The figures the security issue asks not to regress:
// by-query and facets throughput (req/s) and p99 latency at 50 connections, 5,000 components.
//
//   npm run build && node bench/load.mjs [--n 5000] [--db pg|pglite] [--connections 50] [--seconds 15]
//
// The load starts --settle-s (30) seconds after the catalog is complete, once the plugins that react
// to new entities (TechDocs syncing, scorecards evaluating) have done most of it; --settle-s 0 measures
// the API while they work.
// Every request sends the Host header of backend.baseUrl, as a browser would, so the host's
// request checks (Host/Origin, NUL guard, security headers) are part of what is measured.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createFreshDatabase } from './lib/db.mjs';
import { loadAverage, processCpuSeconds } from './lib/proc.mjs';
import { psql } from './lib/db.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
// BENCH_ATRIUM_ROOT=<another checkout, built> measures that build with this script (to compare two
// builds by interleaving their runs).
const atriumRoot = path.resolve(process.env.BENCH_ATRIUM_ROOT ?? repoRoot);
const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    db: { type: 'string', default: 'pg' },
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '15' },
    port: { type: 'string', default: '17411' },
    'settle-s': { type: 'string', default: '30' },
  },
  strict: true,
});
const N = Number(opt.n);
const PORT = Number(opt.port);
const GEN = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
const log = (m) => console.log(`[load] ${m}`);
if (!fs.existsSync(GEN)) {
  console.error(`load: the corpus generator ${GEN} is missing (it lives in ../shared/bench; set BENCH_GEN_CORPUS)`);
  process.exit(2);
}

const outRoot = path.join(repoRoot, 'bench/out');
const corpus = path.join(outRoot, `corpus-${N}`);
if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
  log(`generating corpus N=${N}`);
  fs.mkdirSync(corpus, { recursive: true });
  execFileSync(process.execPath, [GEN, String(N), corpus], { stdio: 'inherit' });
}
const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
const runId = `load-${N}_${opt.db}_${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
const runDir = path.join(outRoot, 'runs', runId);
fs.mkdirSync(runDir, { recursive: true });
const database = createFreshDatabase(opt.db, runId);
const configFile = path.join(runDir, 'bench-config.yaml');
fs.writeFileSync(
  configFile,
  [
    'backend:',
    `  baseUrl: http://127.0.0.1:${PORT}`,
    `  dataDir: ${JSON.stringify(path.join(runDir, 'data'))}`,
    `  listen: { port: ${PORT}, host: 127.0.0.1 }`,
    `  database: ${JSON.stringify(database.config)}`,
    '# Guest on under NODE_ENV=production: the requests come from the benchmark itself.',
    'auth:',
    '  allowGuestInProduction: true',
    'catalog:',
    '  locations:',
    `    - { type: file, target: ${JSON.stringify(path.join(corpus, 'all.yaml'))} }`,
    '',
  ].join('\n'),
);

const logFile = fs.openSync(path.join(runDir, 'backend.log'), 'w');
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the backend (node flags before the script).
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const backend = spawn(process.execPath, [...nodeArgs, path.join(atriumRoot, 'packages/cli/bin/atrium.js'), 'start', '--config', configFile], {
  cwd: runDir,
  env: { ...process.env, NODE_ENV: 'production', LOG_FORMAT: 'json' },
  stdio: ['ignore', logFile, logFile],
});
const base = `http://127.0.0.1:${PORT}`;
const stop = async () => {
  backend.kill('SIGTERM');
  await new Promise((r) => backend.once('exit', r));
  database.cleanup();
  fs.rmSync(path.join(runDir, 'data'), { recursive: true, force: true });
};

async function get(p) {
  try {
    const res = await fetch(base + p);
    return res.ok ? res.json() : undefined;
  } catch {
    return undefined;
  }
}

try {
  log(`waiting for ${manifest.expectedCatalogTotal} entities (${database.describe})`);
  const started = Date.now();
  for (;;) {
    if (backend.exitCode !== null) throw new Error(`the backend exited (${backend.exitCode}); see ${runDir}/backend.log`);
    const r = await get('/api/catalog/entities/by-query?limit=0');
    if (r && r.totalItems >= manifest.expectedCatalogTotal) break;
    if (Date.now() - started > 15 * 60_000) throw new Error('ingest did not finish in 15 minutes');
    await new Promise((res) => setTimeout(res, 1000));
  }
  log(`ingested in ${((Date.now() - started) / 1000).toFixed(1)} s; settling ${opt['settle-s']} s (TechDocs and scorecards react to the new entities)`);
  await new Promise((res) => setTimeout(res, Number(opt['settle-s']) * 1000));
  log(`load average ${JSON.stringify(loadAverage())}`);
  const targets = [
    { name: 'by-query', path: '/api/catalog/entities/by-query?filter=kind=component&limit=20&orderField=metadata.name,asc' },
    { name: 'facets', path: '/api/catalog/entity-facets?facet=spec.type&facet=spec.lifecycle&facet=metadata.tags' },
  ];
  // CPU used per request by the backend process and by its Postgres sessions: far steadier than
  // req/s on a busy machine, and it says which side a change made dearer.
  const pgPids = () =>
    database.pgDatabase ? psql(`select pid from pg_stat_activity where datname = '${database.pgDatabase}'`, 'postgres').split('\n').filter(Boolean) : [];
  const cpuNow = () => ({
    node: processCpuSeconds(backend.pid) ?? 0,
    pg: new Map(pgPids().map((pid) => [pid, processCpuSeconds(pid) ?? 0])),
  });
  // Per session: what it used since the start (all of it for a session opened meanwhile). A
  // session that ended during the run is not counted, so this is a lower bound.
  const pgCpuSince = (before, after) => [...after.pg].reduce((sum, [pid, cpu]) => sum + cpu - (before.pg.get(pid) ?? 0), 0);
  // Statements' footprint per request in the database: transactions (each statement outside a
  // transaction is one) and rows read, from pg_stat_database (flushed about once a second).
  const dbStats = () => {
    if (!database.pgDatabase) return { xacts: 0, rows: 0 };
    const [xacts, rows] = psql(
      `select xact_commit + xact_rollback, tup_returned + tup_fetched from pg_stat_database where datname = '${database.pgDatabase}'`,
      'postgres',
    )
      .split('|')
      .map(Number);
    return { xacts, rows };
  };
  const results = [];
  for (const t of targets) {
    const before = cpuNow();
    const statsBefore = dbStats();
    const r = await autocannon({
      url: base + t.path,
      connections: Number(opt.connections),
      duration: Number(opt.seconds),
      headers: { host: `127.0.0.1:${PORT}`, accept: 'application/json' },
    });
    const row = {
      name: t.name,
      reqPerSec: Math.round(r.requests.average),
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors,
    };
    const after = cpuNow();
    const total = r.requests.total || 1;
    await new Promise((res) => setTimeout(res, 1500)); // let the sessions flush their statistics
    const statsAfter = dbStats();
    row.pgXactsPerReq = Number(((statsAfter.xacts - statsBefore.xacts) / total).toFixed(2));
    row.pgRowsPerReq = Math.round((statsAfter.rows - statsBefore.rows) / total);
    row.nodeCpuUsPerReq = Math.round(((after.node - before.node) * 1e6) / total);
    row.pgCpuUsPerReq = Math.round((pgCpuSince(before, after) * 1e6) / total);
    results.push(row);
    log(
      `${t.name}: ${row.reqPerSec} req/s, p50 ${row.p50ms} ms, p99 ${row.p99ms} ms, non-2xx ${row.non2xx}, errors ${row.errors}; CPU per request: backend ${row.nodeCpuUsPerReq} µs, Postgres ${row.pgCpuUsPerReq} µs; Postgres transactions ${row.pgXactsPerReq}, rows read ${row.pgRowsPerReq}`,
    );
  }
  const summary = {
    bench: 'load',
    date: new Date().toISOString(),
    n: N,
    db: opt.db,
    build: atriumRoot,
    settleS: Number(opt['settle-s']),
    connections: Number(opt.connections),
    seconds: Number(opt.seconds),
    machine: { cores: os.cpus().length, node: process.version },
    loadAverage: loadAverage(),
    results,
  };
  fs.writeFileSync(path.join(runDir, 'result.json'), JSON.stringify(summary, null, 2));
  console.log(JSON.stringify(summary));
  if (results.some((r) => r.non2xx > 0 || r.errors > 0)) process.exitCode = 1;
} catch (e) {
  console.error(`load: ${e.message}`);
  process.exitCode = 1;
} finally {
  await stop();
}
