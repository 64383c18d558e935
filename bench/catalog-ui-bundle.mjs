#!/usr/bin/env node
// Catalog UI bundle size: the JavaScript a browser downloads to show each catalog page, measured
// in Chromium from the network (every script response until the page is usable), gzipped like
// a server would send it. Target: /catalog initial JS < 300 KB gzipped; the graph and the API
// renderers must load only on their tabs.
//
//   npm run build && node bench/catalog-ui-bundle.mjs [--port 17400]
//
// Starts `atrium start` with an in-memory database and the example catalog, opens each page in
// a fresh browser context (empty cache), and prints a table. Writes bench/out/catalog-ui-bundle.json.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({ options: { port: { type: 'string', default: '17400' } }, strict: true });
const PORT = Number(opt.port);
const BASE = `http://localhost:${PORT}`;
const outDir = path.join(repoRoot, 'bench/out');
fs.mkdirSync(outDir, { recursive: true });

/** Each page, and what on it means "usable". */
const PAGES = [
  { name: 'explorer', path: '/catalog', ready: 'table tbody tr[aria-rowindex="2"]' },
  { name: 'entity page', path: '/catalog/default/component/orders-service', ready: 'section[aria-labelledby] table' },
  { name: 'relations graph tab', path: '/catalog/default/component/orders-service/relations', ready: '.react-flow__node' },
  { name: 'OpenAPI definition tab', path: '/catalog/default/api/orders-api/definition', ready: 'section[aria-label^="Operations"]' },
  { name: 'GraphQL definition tab', path: '/catalog/default/api/storefront-graphql/definition', ready: 'table[aria-label^="Fields of"]' },
  { name: 'register page', path: '/catalog-import', ready: 'form' },
  { name: 'locations page', path: '/catalog/locations', ready: 'table[aria-label="Locations"]' },
];

const configFile = path.join(outDir, 'catalog-ui-bundle.config.yaml');
fs.writeFileSync(
  configFile,
  [
    `backend: { baseUrl: '${BASE}', listen: { port: ${PORT} }, database: { client: pglite, connection: ':memory:' } }`,
    `catalog: { locations: [{ type: file, target: '${path.join(repoRoot, 'catalog-examples/all.yaml')}' }] }`,
    // Guest on under NODE_ENV=production: the requests come from the benchmark itself.
    'auth: { allowGuestInProduction: true }',
    '',
  ].join('\n'),
);

const server = spawn(process.execPath, [path.join(repoRoot, 'packages/cli/bin/atrium.js'), 'start', '--config', configFile], {
  cwd: repoRoot,
  env: { ...process.env, NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = () => server.kill('SIGTERM');
process.on('exit', stop);

try {
  await waitFor(async () => {
    const response = await fetch(`${BASE}/api/catalog/entities/by-query?limit=1&filter=kind=component`);
    return response.ok && ((await response.json()).totalItems ?? 0) > 0;
  }, 120_000);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const results = [];
  for (const page of PAGES) results.push(await measure(browser, page));
  await browser.close();

  const rows = results.map((r) => [r.name, r.path, String(r.files), kb(r.rawBytes), kb(r.gzipBytes)]);
  printTable(['page', 'path', 'JS files', 'JS raw', 'JS gzip'], rows);
  const explorer = results[0];
  console.log(`\n/catalog initial JS: ${kb(explorer.gzipBytes)} gzipped (target < 300 KB): ${explorer.gzipBytes < 300 * 1024 ? 'PASS' : 'FAIL'}`);
  const lazy = ['@xyflow', 'elk', 'graphql', 'markdown-it', 'js-yaml'];
  const leaked = explorer.scripts.filter((s) => lazy.some((l) => s.modules?.includes(l)));
  console.log(`graph / API renderer code on /catalog: ${leaked.length === 0 ? 'none' : leaked.map((s) => s.url).join(', ')}`);
  fs.writeFileSync(path.join(outDir, 'catalog-ui-bundle.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
} finally {
  stop();
}

async function measure(browser, spec) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    const url = response.url();
    const type = response.request().resourceType();
    if (type !== 'script' && !url.endsWith('.js')) return;
    try {
      const body = await response.body();
      scripts.set(url, { url: url.replace(BASE, ''), raw: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length, modules: moduleHints(body) });
    } catch {
      // A response without a body (redirect, aborted): nothing to count.
    }
  });
  await page.goto(`${BASE}${spec.path}`);
  await page.waitForSelector(spec.ready, { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await context.close();
  const list = [...scripts.values()].filter((s) => !s.url.includes('elk-worker'));
  const worker = [...scripts.values()].find((s) => s.url.includes('elk-worker'));
  return {
    name: spec.name,
    path: spec.path,
    files: list.length,
    rawBytes: sum(list.map((s) => s.raw)),
    gzipBytes: sum(list.map((s) => s.gzip)),
    ...(worker ? { workerGzipBytes: worker.gzip, note: 'ELK layout worker loaded by a web worker, not counted' } : {}),
    scripts: list,
  };
}

/** Rough provenance of a chunk from its source map comment or content, to see whether lazy code leaked. */
function moduleHints(body) {
  const text = body.toString('utf8', 0, Math.min(body.length, 2_000_000));
  return ['@xyflow', 'elk', 'graphql', 'markdown-it', 'js-yaml'].filter((name) => {
    if (name === '@xyflow') return text.includes('react-flow__');
    if (name === 'elk') return text.includes('elk.algorithm');
    if (name === 'graphql') return text.includes('GraphQLObjectType');
    if (name === 'markdown-it') return text.includes('linkify');
    if (name === 'js-yaml') return text.includes('YAMLException');
    return false;
  });
}

async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for the server');
    await new Promise((r) => setTimeout(r, 500));
  }
}

function sum(values) {
  return values.reduce((a, b) => a + b, 0);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
