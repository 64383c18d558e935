#!/usr/bin/env node
// Catalog UI at 100,000 entities: how long /catalog takes to show its first rows, and a filter
// change to show its new rows, measured in Chromium with playwright-core. Targets: first rows
// < 1.5 s, filter change < 500 ms.
//
//   npm run build && node bench/catalog-ui-100k.mjs [--n 60000] [--db pg|pglite] [--runs 7] [--port 17400] [--reuse]
//
// The corpus is ../shared/bench/gen-corpus.mjs N (N = 60000 components ≈ 100,700 entities),
// cached in bench/out/corpus-N. The backend runs the catalog and system plugins and serves the
// built app (other plugins stay out, so scorecards or search indexing 100k entities do not
// compete for the CPU during the measurement). `--reuse` keeps the ingested database
// (Postgres database atrium_bench_catalog_ui_<N>, or bench/out/catalog-ui-pglite-<N>) so the
// next run skips the ingest. Times are taken in the page (performance.now()), from navigation
// start or from the click, to the moment the DOM shows the expected rows.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(import.meta.dirname, '..');
/** Where the time of each cold load went; filled by firstRows(). */
const firstRowBreakdown = [];
const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '60000' },
    db: { type: 'string', default: 'pg' },
    runs: { type: 'string', default: '7' },
    port: { type: 'string', default: '17400' },
    reuse: { type: 'boolean', default: false },
    serve: { type: 'boolean', default: false },
    config: { type: 'string' },
  },
  strict: true,
});

if (opt.serve) {
  // Child mode: the backend with the catalog and system plugins, serving the built app.
  const { createBackend, loadConfig, resolveAppDist } = await import('@atrium/backend');
  const { catalogPlugin } = await import('@atrium/plugin-catalog/backend');
  const { systemPlugin } = await import('@atrium/plugin-system/backend');
  const config = loadConfig({ rootDir: process.cwd(), configFiles: [opt.config] });
  const backend = await createBackend({ config, plugins: [systemPlugin, catalogPlugin], appDistDir: resolveAppDist() ?? null });
  await backend.start();
  process.once('SIGTERM', () =>
    backend.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    ),
  );
  process.once('SIGINT', () =>
    backend.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    ),
  );
} else {
  await main();
}

async function main() {
  const { chromium } = await import('playwright-core');
  const N = Number(opt.n);
  const RUNS = Number(opt.runs);
  const PORT = Number(opt.port);
  const BASE = `http://localhost:${PORT}`;
  const outRoot = path.join(repoRoot, 'bench/out');
  const corpus = path.join(outRoot, `corpus-${N}`);
  if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
    log(`generating corpus N=${N}`);
    execFileSync(process.execPath, [path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs'), String(N), corpus], { stdio: 'inherit' });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
  const runDir = path.join(
    outRoot,
    'runs',
    `catalog-ui-${N}_${opt.db}_${new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`,
  );
  fs.mkdirSync(runDir, { recursive: true });

  const database = prepareDatabase(opt.db, N, opt.reuse, outRoot);
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(
    configFile,
    [
      `backend: { baseUrl: '${BASE}', listen: { port: ${PORT} }, database: ${JSON.stringify(database.config)} }`,
      // Guest on under NODE_ENV=production: the requests come from the benchmark itself.
      'auth: { allowGuestInProduction: true }',
      // No scheduled re-read during the measurement.
      `catalog: { refreshIntervalSeconds: 86400, locations: [{ type: file, target: '${path.join(corpus, 'all.yaml')}' }] }`,
      '',
    ].join('\n'),
  );
  const started = Date.now();
  const server = spawn(process.execPath, [import.meta.filename, '--serve', '--config', configFile], {
    cwd: runDir,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', fs.openSync(path.join(runDir, 'backend.log'), 'w'), fs.openSync(path.join(runDir, 'backend.log'), 'a')],
  });
  const stop = () => server.kill('SIGTERM');
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));

  try {
    log(`backend pid ${server.pid}, ${database.describe}; waiting for ${manifest.expectedCatalogTotal} entities`);
    let lastLog = 0;
    for (;;) {
      const total = await fetchJson(`${BASE}/api/catalog/entities/by-query?limit=0`)
        .then((r) => r.totalItems)
        .catch(() => undefined);
      if (total !== undefined && total >= manifest.expectedCatalogTotal) break;
      if (Date.now() - lastLog > 15_000) {
        log(`  t=${((Date.now() - started) / 1000).toFixed(0)}s entities=${total ?? '-'}/${manifest.expectedCatalogTotal}`);
        lastLog = Date.now();
      }
      if (Date.now() - started > 3 * 3600_000) throw new Error('ingest did not finish within 3 hours');
      await sleep(2000);
    }
    const ingestS = (Date.now() - started) / 1000;
    log(`catalog ready after ${ingestS.toFixed(1)} s`);
    await sleep(5000); // let the last stitching settle
    const apiBefore = await apiTimings(BASE);
    if (database.analyze) {
      // Right after a bulk ingest Postgres has no statistics for the new rows until autovacuum
      // gets to them, and filtered, sorted pages take seconds. Measure that, then ANALYZE (what
      // autovacuum does within minutes on an idle server) and measure the UI.
      log(`API before ANALYZE: ${JSON.stringify(apiBefore)}`);
      database.analyze();
    }
    const apiAfter = await apiTimings(BASE);
    log(`API timings (ms): ${JSON.stringify(apiAfter)}; measuring in Chromium (${RUNS} runs each)`);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const production = (await fetchJson(`${BASE}/api/catalog/entities/by-query?limit=0&filter=kind=component,spec.lifecycle=production`)).totalItems;
    const scenarios = {
      'first rows, cold load of /catalog (empty cache)': [],
      'first rows, cold load of /catalog (warm HTTP cache)': [],
      'first rows, /catalog from the home page (in-app navigation)': [],
      'filter change: lifecycle = production, rows': [],
      'filter change: lifecycle = production, count': [],
      'filter change: kind Component → API, rows': [],
      'filter change: search text, rows (includes the 250 ms typing pause)': [],
      'scroll to row 1,000 (pages loaded on demand)': [],
    };
    const keys = Object.keys(scenarios);
    const failures = [];
    for (let run = 0; run < RUNS; run++) {
      try {
        await measureRun(run);
      } catch (error) {
        // One stuck request on a loaded machine should not lose the other runs: note it and go on.
        failures.push(`run ${run + 1}: ${error.message.split('\n')[0]}`);
        log(`  run ${run + 1} failed: ${error.message.split('\n')[0]}`);
      }
    }
    async function measureRun(run) {
      const r = {};
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      r[keys[0]] = await firstRows(page, `${BASE}/catalog`);
      r[keys[1]] = await firstRows(page, `${BASE}/catalog`);
      await page.goto(`${BASE}/`);
      await page.getByRole('link', { name: 'Catalog', exact: true }).waitFor();
      r[keys[2]] = (await timeAfterClick(page, () => page.getByRole('link', { name: 'Catalog', exact: true }).click(), [firstRowCondition()]))[0];
      await waitIdle(page);
      const lifecycle = await timeAfterClick(page, () => page.getByRole('checkbox', { name: /^production/ }).click(), [
        viewCondition('lifecycle=production'),
        countCondition(`${production.toLocaleString('en-US')} component`),
      ]);
      r[keys[3]] = lifecycle[0];
      r[keys[4]] = lifecycle[1];
      await page.goto(`${BASE}/catalog`);
      await page.waitForSelector('tbody tr[aria-rowindex="2"]');
      await waitIdle(page);
      const kind = await timeAfterClick(
        page,
        async () => {
          await page.getByRole('combobox', { name: 'Kind' }).click();
          await page.getByRole('option', { name: /^API \(/ }).click();
        },
        [viewCondition('kind=api')],
        'option',
      );
      r[keys[5]] = kind[0];
      await page.goto(`${BASE}/catalog`);
      await page.waitForSelector('tbody tr[aria-rowindex="2"]');
      await waitIdle(page);
      const search = await timeAfterKeys(
        page,
        () => page.getByRole('textbox', { name: 'Search the catalog' }).pressSequentially('reconciliation', { delay: 0 }),
        [viewCondition('q=reconciliation')],
      );
      r[keys[6]] = search[0];
      await page.goto(`${BASE}/catalog`);
      await page.waitForSelector('tbody tr[aria-rowindex="2"]');
      await waitIdle(page);
      r[keys[7]] = await scrollTo(page, 1000);
      await context.close();
      for (const k of keys) scenarios[k].push(r[k]);
      log(`  run ${run + 1}/${RUNS}: ${keys.map((k) => `${Math.round(r[k])} ms`).join(', ')}`);
    }
    await browser.close();

    const summary = Object.fromEntries(Object.entries(scenarios).map(([k, v]) => [k, stats(v)]));
    const result = {
      date: new Date().toISOString(),
      machine: machine(),
      n: N,
      entities: manifest.expectedCatalogTotal,
      db: database.describe,
      ingestSeconds: ingestS,
      runs: RUNS,
      failures,
      apiMsBeforeAnalyze: apiBefore,
      apiMs: apiAfter,
      firstRowBreakdown,
      summary,
      raw: scenarios,
    };
    fs.writeFileSync(path.join(runDir, 'result.json'), JSON.stringify(result, null, 2));
    console.log(
      `\nCatalog UI with ${manifest.expectedCatalogTotal.toLocaleString('en-US')} entities (${N.toLocaleString('en-US')} components), ${database.describe}`,
    );
    console.log(`${machine()}`);
    for (const [name, s] of Object.entries(summary))
      console.log(`  ${name.padEnd(66)} median ${s.median} ms  p90 ${s.p90} ms  min ${s.min} ms  max ${s.max} ms`);
    console.log(`  API (ms, one request each, from Node): ${JSON.stringify(apiAfter)}`);
    const mid = (key) => stats(firstRowBreakdown.filter((_, i) => i % 2 === 0).map((t) => t[key] ?? 0)).median;
    console.log(
      `  cold load breakdown (median ms from navigation start): HTML ${mid('html')}, last script ${mid('lastScript')}, page request ${mid('pageRequestStart')}–${mid('pageRequestEnd')}, first row ${mid('firstRow')}`,
    );
    console.log(`\nresult: ${path.join(runDir, 'result.json')}`);
  } finally {
    stop();
    await sleep(1000);
    if (!opt.reuse) database.cleanup();
  }
}

/**
 * Loads a URL and returns ms from navigation start until the first entity row is in the DOM,
 * and where the time went (HTML, scripts, the page request).
 */
async function firstRows(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector('tbody tr[aria-rowindex="2"] a', { timeout: 30_000 });
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const scripts = resources.filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
    const page = resources.filter((r) => r.name.includes('/entities/by-query'))[0];
    return {
      firstRow: performance.now(),
      html: nav?.responseEnd,
      lastScript: Math.max(0, ...scripts.map((s) => s.responseEnd)),
      pageRequestStart: page?.startTime,
      pageRequestEnd: page?.responseEnd,
    };
  });
  firstRowBreakdown.push(timing);
  return timing.firstRow;
}

function firstRowCondition() {
  return () => document.querySelector('tbody tr[aria-rowindex="2"] a') !== null && location.pathname === '/catalog';
}

/** The rows on screen are those of a view whose query string contains `part` (not the previous view's, kept while loading). */
function viewCondition(part) {
  return new Function(
    `const frame = document.querySelector('[data-view]'); return frame !== null && frame.dataset.view.includes(${JSON.stringify(part)}) && !frame.hasAttribute('data-stale') && frame.querySelector('tbody tr[aria-rowindex="2"] a') !== null;`,
  );
}

/** The result count shows `text`. */
function countCondition(text) {
  return new Function(`return [...document.querySelectorAll('[role=status]')].some((e) => e.textContent.startsWith(${JSON.stringify(text)}));`);
}

/**
 * Runs `act` and returns ms from the user's click (the pointerdown of the last click `act`
 * makes, recorded in the page) until `condition` holds in the page.
 */
async function timeAfterClick(page, act, conditions, lastTargetRole) {
  await page.evaluate((role) => {
    window.__benchT0 = undefined;
    document.addEventListener(
      'pointerdown',
      (event) => {
        if (!role || event.target.closest(`[role="${role}"]`)) window.__benchT0 = performance.now();
      },
      { capture: true },
    );
  }, lastTargetRole ?? null);
  await act();
  return waitConditions(page, conditions);
}

/** Like timeAfterClick, from the last keystroke. */
async function timeAfterKeys(page, act, conditions) {
  await page.evaluate(() => {
    window.__benchT0 = undefined;
    document.addEventListener('keydown', () => (window.__benchT0 = performance.now()), { capture: true });
  });
  await act();
  return waitConditions(page, conditions);
}

/** ms from the recorded user action until each condition first held (checked every frame). */
async function waitConditions(page, conditions) {
  const handle = await page.waitForFunction(
    (sources) => {
      window.__benchDone ??= [];
      sources.forEach((source, i) => {
        if (window.__benchDone[i] === undefined && window.__benchT0 !== undefined && new Function(`return (${source})()`)()) {
          window.__benchDone[i] = performance.now() - window.__benchT0;
        }
      });
      return sources.every((_, i) => window.__benchDone[i] !== undefined) ? window.__benchDone : false;
    },
    conditions.map((c) => c.toString()),
    { timeout: 30_000, polling: 'raf' },
  );
  const values = await handle.jsonValue();
  await page.evaluate(() => (window.__benchDone = undefined));
  return values;
}

/** Scrolls the window until row `index` is rendered; ms from the scroll to the row. */
async function scrollTo(page, index) {
  return page.evaluate(async (target) => {
    const t0 = performance.now();
    for (;;) {
      if (document.querySelector(`tbody tr[aria-rowindex="${target + 1}"]`)) return performance.now() - t0;
      window.scrollTo(0, document.body.scrollHeight);
      await new Promise((r) => requestAnimationFrame(r));
      if (performance.now() - t0 > 60_000) throw new Error(`row ${target} never appeared`);
    }
  }, index);
}

async function waitIdle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
}

function prepareDatabase(kind, n, reuse, outRoot) {
  if (kind === 'pg') {
    const name = reuse ? `atrium_bench_catalog_ui_${n}` : `atrium_bench_catalog_ui_${n}_${process.pid}`;
    const psql = (sql) => execFileSync('psql', ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-XAtq', '-c', sql], { encoding: 'utf8' }).trim();
    const exists = psql(`select count(*) from pg_database where datname = '${name}'`) === '1';
    if (!exists) psql(`create database ${name}`);
    return {
      config: { client: 'pg', connection: `postgres://postgres@127.0.0.1:5432/${name}` },
      describe: `Postgres ${psql('show server_version')} (database ${name}${exists ? ', reused' : ''})`,
      cleanup: () => psql(`drop database if exists ${name} with (force)`),
      analyze: () => execFileSync('psql', ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', name, '-XAtq', '-c', 'analyze'], { encoding: 'utf8' }),
    };
  }
  const dir = reuse ? path.join(outRoot, `catalog-ui-pglite-${n}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-catalog-ui-'));
  const reused = fs.existsSync(path.join(dir, 'PG_VERSION'));
  return {
    config: { client: 'pglite', connection: { directory: dir } },
    describe: `PGlite in ${dir}${reused ? ' (reused)' : ''}`,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: Math.round(at(0.5)), p90: Math.round(at(0.9)), min: Math.round(sorted[0]), max: Math.round(sorted[sorted.length - 1]) };
}

function machine() {
  const cpus = os.cpus();
  return `${os.type()} ${os.release()}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

/** What the explorer's requests cost on their own: the first page, the count, and the facets. */
async function apiTimings(base) {
  const post = async (path, body) => {
    const t0 = performance.now();
    const response = await fetch(`${base}/api/catalog${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.text();
    return Math.round(performance.now() - t0);
  };
  const component = { kind: 'component' };
  const production = { $all: [component, { 'spec.lifecycle': 'production' }] };
  const page = (query, extra = {}) => ({ query, orderBy: [{ field: 'metadata.name', order: 'asc' }], limit: 100, totalItems: 'exclude', ...extra });
  return {
    pageComponents: await post('/entities/by-query', page(component)),
    countComponents: await post('/entities/by-query', { query: component, limit: 0, totalItems: 'include' }),
    pageProduction: await post('/entities/by-query', page(production)),
    countProduction: await post('/entities/by-query', { query: production, limit: 0, totalItems: 'include' }),
    pageSearch: await post('/entities/by-query', page(component, { fullTextFilter: { term: 'reconciliation' } })),
    facetsKind: await post('/entity-facets', { facets: ['kind'] }),
    facetsComponent: await post('/entity-facets', {
      facets: ['spec.type', 'relations.ownedBy', 'spec.lifecycle', 'metadata.tags', 'metadata.namespace'],
      query: component,
    }),
  };
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function log(message) {
  console.log(`[catalog-ui ${new Date().toISOString().slice(11, 19)}] ${message}`);
}
