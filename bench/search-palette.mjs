#!/usr/bin/env node
/* global window, document, requestAnimationFrame -- page.evaluate bodies run in the browser */
// Search palette in Chromium: keystroke to results (issue 16's target: < 100 ms). A backend with
// the system, catalog and search plugins serves the built app over a generated corpus; the
// palette is opened with Ctrl-K and a component's name is typed one key at a time at a fast
// typist's pace (60 ms a key). The time is taken in the page: from the last key's `keydown` to the
// first frame that shows an option naming that component once the answer to the whole name has
// arrived (debounce, request, render included; earlier keys' results do not count).
//
//   npm run build && node bench/search-palette.mjs [--n 1000] [--db pglite|pg] [--runs 30] [--port 17401] [--keep-db] [--settle-s 0]
//
// --db pg needs ATRIUM_TEST_POSTGRES_URL's server (a fresh database atrium_bench_palette_<time>).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    db: { type: 'string', default: 'pglite' },
    runs: { type: 'string', default: '30' },
    port: { type: 'string', default: '17401' },
    serve: { type: 'boolean', default: false },
    config: { type: 'string' },
    'keep-db': { type: 'boolean', default: false },
    'settle-s': { type: 'string', default: '0' },
    // Measure against a backend already serving on --port (started with --serve): compare two
    // frontend builds by swapping packages/app/dist between runs, on one warm database.
    attach: { type: 'boolean', default: false },
  },
  strict: true,
});

if (opt.serve) {
  const { createBackend, loadConfig, resolveAppDist } = await import('@atrium/backend');
  const { catalogPlugin } = await import('@atrium/plugin-catalog/backend');
  const { systemPlugin } = await import('@atrium/plugin-system/backend');
  const { searchPlugin } = await import('@atrium/plugin-search/backend');
  const config = loadConfig({ rootDir: process.cwd(), configFiles: [opt.config] });
  const backend = await createBackend({ config, plugins: [systemPlugin, catalogPlugin, searchPlugin], appDistDir: resolveAppDist() ?? null });
  await backend.start();
  process.once('SIGTERM', () =>
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
    const gen = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
    if (!fs.existsSync(gen)) throw new Error(`no corpus generator at ${gen} (set BENCH_GEN_CORPUS)`);
    execFileSync(process.execPath, [gen, String(N), corpus], { stdio: 'inherit' });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));
  // With --keep-db the config stays at one path too: the catalog keys its config locations by the
  // file that sets them, so a config in a new directory each run would drop and read every entity again.
  const runDir = opt['keep-db'] ? path.join(outRoot, `palette-keep-${N}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-palette-'));
  fs.mkdirSync(runDir, { recursive: true });
  let database;
  let dropDatabase = () => {};
  if (opt.db === 'pg') {
    const server = new URL(process.env.ATRIUM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    // --keep-db: one database per corpus size, kept for the next run (which then skips the ingest:
    // compare two frontend builds on the same data without ingesting 100k entities twice).
    const name = opt['keep-db'] ? `atrium_bench_palette_keep_${N}` : `atrium_bench_palette_${Date.now()}`;
    // One statement on the server's maintenance database (psql, as ATRIUM_TEST_POSTGRES_URL's user).
    const admin = (sql) =>
      execFileSync('psql', ['-h', server.hostname, '-p', server.port || '5432', '-U', server.username || 'postgres', '-d', 'postgres', '-tAqc', sql], {
        encoding: 'utf8',
      }).trim();
    if (!(opt['keep-db'] && admin(`select 1 from pg_database where datname = '${name}'`) === '1')) admin(`create database ${name}`);
    server.pathname = `/${name}`;
    database = { client: 'pg', connection: server.href };
    if (!opt['keep-db']) dropDatabase = () => admin(`drop database if exists ${name} with (force)`);
  } else {
    database = { client: 'pglite', connection: { directory: path.join(runDir, 'pglite') } };
  }
  const configFile = path.join(runDir, 'config.yaml');
  fs.writeFileSync(
    configFile,
    [
      `backend: { baseUrl: '${BASE}', listen: { port: ${PORT} }, database: ${JSON.stringify(database)}, reading: { fileRoots: ['${corpus}'] } }`,
      'auth: { allowGuestInProduction: true }',
      `catalog: { refreshIntervalSeconds: 86400, locations: [{ type: file, target: '${path.join(corpus, 'all.yaml')}' }] }`,
      '',
    ].join('\n'),
  );
  const server = opt.attach
    ? undefined
    : spawn(process.execPath, [import.meta.filename, '--serve', '--config', configFile], {
        cwd: runDir,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', fs.openSync(path.join(runDir, 'backend.log'), 'w'), fs.openSync(path.join(runDir, 'backend.log'), 'a')],
      });
  const stop = () => server?.kill('SIGTERM');
  process.on('exit', stop);
  let browser;
  try {
    const started = Date.now();
    for (;;) {
      const status = await fetch(`${BASE}/api/search/status`)
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined);
      const total = await fetch(`${BASE}/api/catalog/entities/by-query?limit=0`)
        .then((r) => (r.ok ? r.json() : undefined))
        .then((b) => b?.totalItems)
        .catch(() => undefined);
      const catalogType = status?.types?.find((t) => t.type === 'software-catalog');
      if (total >= manifest.expectedCatalogTotal && catalogType?.state === 'ready' && catalogType.documents >= manifest.expectedCatalogTotal) break;
      if (Date.now() - started > 30 * 60_000) throw new Error(`not ready after 30 minutes (see ${runDir}/backend.log)`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    console.error(`ready after ${((Date.now() - started) / 1000).toFixed(1)} s; measuring ${RUNS} searches`);
    // A restarted backend over a kept database checks its locations again: let that finish first.
    await new Promise((resolve) => setTimeout(resolve, Number(opt['settle-s']) * 1000));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const page = await browser.newPage();
    await page.goto(`${BASE}/`);
    await page.waitForSelector('nav');
    const times = [];
    for (let run = 0; run < RUNS + 3; run++) {
      const name = manifest.componentNames[(run * 7919) % manifest.componentNames.length];
      await page.keyboard.press('Control+k');
      const input = page.getByRole('combobox', { name: 'Search Atrium' }).or(page.getByLabel('Search Atrium'));
      await input.first().waitFor();
      await page.evaluate((expected) => {
        // From the last key's keydown to the first frame that shows an option naming the component
        // after the answer to the whole name arrived. Results of earlier keys may already name it
        // (a prefix match); counting those would time a render, not a search.
        window.__palette = new Promise((resolve) => {
          let keyAt = 0;
          const onKey = () => (keyAt = performance.now());
          document.addEventListener('keydown', onKey, true);
          const seen = () => [...document.querySelectorAll('[role="option"]')].some((o) => o.textContent?.includes(expected));
          const original = window.__paletteFetch ?? window.fetch;
          window.__paletteFetch = original;
          window.fetch = async (...args) => {
            const calledAt = performance.now();
            const response = await original(...args);
            const url = decodeURIComponent(String(args[0]?.url ?? args[0]));
            if (url.includes('/api/search/query') && new URL(url, window.location.href).searchParams.get('term') === expected) {
              await response.clone().arrayBuffer();
              const answeredAt = performance.now();
              const check = () => {
                if (!seen()) return void requestAnimationFrame(check);
                document.removeEventListener('keydown', onKey, true);
                window.fetch = original;
                const now = performance.now();
                // The parts (BENCH_VERBOSE): key to request, request to answer, answer to the frame showing it.
                window.__paletteParts = [calledAt - keyAt, answeredAt - calledAt, now - answeredAt];
                resolve(now - keyAt);
              };
              requestAnimationFrame(check);
            }
            return response;
          };
        });
      }, name);
      await page.keyboard.type(name, { delay: 60 });
      const ms = await page.evaluate(() => window.__palette);
      if (run >= 3) times.push(ms);
      if (process.env.BENCH_VERBOSE) {
        const parts = await page.evaluate(() => window.__paletteParts);
        console.error(`${name} ${ms.toFixed(1)} ms (key→request ${parts[0].toFixed(1)}, request ${parts[1].toFixed(1)}, answer→frame ${parts[2].toFixed(1)})`);
      }
      await page.keyboard.press('Escape');
    }
    times.sort((a, b) => a - b);
    const at = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(
      JSON.stringify(
        {
          n: N,
          entities: manifest.expectedCatalogTotal,
          db: opt.db,
          runs: times.length,
          keystrokeToResultsMs: { p50: +at(0.5), p95: +at(0.95), max: +times[times.length - 1].toFixed(1) },
          loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
        },
        null,
        2,
      ),
    );
  } finally {
    await browser?.close();
    if (server) {
      stop();
      await new Promise((resolve) => server.once('exit', resolve));
    }
    dropDatabase();
    if (!opt['keep-db']) fs.rmSync(runDir, { recursive: true, force: true });
  }
}
