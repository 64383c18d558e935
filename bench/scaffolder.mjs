#!/usr/bin/env node
// Scaffolder benchmark: N concurrent template runs on one replica while the catalog API is
// measured. Question answered: do scaffolder tasks starve the API? (target: catalog
// by-query p95 < 100 ms while 20 tasks run).
//
//   node bench/scaffolder.mjs [--tasks 20] [--db pglite|pg] [--corpus bench/out/corpus-1000/all.yaml]
//
// Each task renders a 40-file skeleton with fetch:template, logs 50 lines, commits and pushes
// it to its own bare git repository (publish:git) and registers it in the catalog
// (catalog:register): the same work as a real golden path, minus the SaaS.
// Latency: sequential keep-alive GET /api/catalog/entities/by-query?filter=kind=component&limit=20,
// first alone (baseline), then for as long as the tasks run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createFreshDatabase } from './lib/db.mjs';
import { loadAverage, processMemory, round } from './lib/proc.mjs';
import { summarize } from './lib/stats.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20' },
    db: { type: 'string', default: 'pglite' },
    port: { type: 'string', default: '17930' },
    corpus: { type: 'string', default: path.join(repoRoot, 'bench/out/corpus-1000/all.yaml') },
    'baseline-requests': { type: 'string', default: '200' },
    'settle-s': { type: 'string', default: '20' },
    'no-register': { type: 'boolean', default: false },
    'io-concurrency': { type: 'string', default: '4' },
  },
  strict: true,
});
const TASKS = Number(opt.tasks);
const PORT = Number(opt.port);
if (PORT < 17900 || PORT > 17999) throw new Error('--port must be in 17900-17999');
const BASE = `http://127.0.0.1:${PORT}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const runId = `scaf-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-scaffolder-'));
const db = createFreshDatabase(opt.db, runId);

// A template with a 40-file skeleton.
const tplDir = path.join(work, 'template');
fs.mkdirSync(path.join(tplDir, 'skeleton/src'), { recursive: true });
for (let i = 0; i < 38; i++) {
  fs.writeFileSync(
    path.join(tplDir, `skeleton/src/module-${i}.js`),
    `// \${{ values.name }} module ${i}\nexport const name = '\${{ values.name }}';\n{% for i in range(0, 20) %}export const v\${{ i }} = \${{ i }};\n{% endfor %}`,
  );
}
fs.writeFileSync(path.join(tplDir, 'skeleton/README.md'), '# ${{ values.name }}\n');
fs.writeFileSync(
  path.join(tplDir, 'skeleton/catalog-info.yaml'),
  'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/bench\n',
);
fs.writeFileSync(
  path.join(tplDir, 'template.yaml'),
  `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: bench-service }
spec:
  type: service
  parameters:
    - required: [name, remote]
      properties: { name: { type: string }, remote: { type: string } }
  steps:
    - id: fetch
      action: fetch:template
      input: { url: ./skeleton, values: { name: '\${{ parameters.name }}' } }
    - id: log
      each: \${{ range(0, 50) }}
      action: debug:log
      input: { message: 'working on \${{ parameters.name }}: item \${{ each.value }}' }
    - id: publish
      action: publish:git
      input: { repoUrl: '\${{ parameters.remote }}' }
${
  opt['no-register']
    ? ''
    : `    - id: register
      action: catalog:register
      input: { repoContentsUrl: '\${{ steps.publish.output.repoContentsUrl }}' }
`
}`,
);
const locations = [{ type: 'file', target: path.join(tplDir, 'template.yaml') }];
const corpus = fs.existsSync(opt.corpus) ? opt.corpus : undefined;
let expectedComponents = 0;
try {
  expectedComponents = JSON.parse(fs.readFileSync(path.join(path.dirname(opt.corpus), 'manifest.json'), 'utf8')).counts.Component;
} catch {
  expectedComponents = 1;
}
if (corpus) locations.push({ type: 'file', target: corpus });
const configPath = path.join(work, 'config.json');
fs.writeFileSync(
  configPath,
  JSON.stringify({
    backend: { baseUrl: BASE, listen: { port: PORT, host: '127.0.0.1' }, database: db.config },
    catalog: { locations, processingPollMs: 500, readers: { fileRoots: [work] } },
    scaffolder: { concurrentTasksLimit: TASKS, ioConcurrency: Number(opt['io-concurrency']), publish: { fileRoots: [work] } },
  }),
);

const server = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
    path.join(repoRoot, 'packages/cli/bin/atrium.js'),
    'start',
    '--config',
    configPath,
  ],
  {
    cwd: work,
    stdio: ['ignore', process.env.BENCH_BACKEND_LOG ? fs.openSync(process.env.BENCH_BACKEND_LOG, 'w') : 'ignore', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  },
);
let stderr = '';
server.on('exit', (code, signal) => (stderr += `\n[backend exited: code ${code} signal ${signal}]`));
server.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
const cleanup = async () => {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  db.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(1)));

async function json(p, init) {
  const res = await fetch(`${BASE}${p}`, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const QUERY = '/api/catalog/entities/by-query?filter=kind=component&limit=20';
async function timedQuery() {
  const t = performance.now();
  const res = await fetch(`${BASE}${QUERY}`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`by-query answered ${res.status}`);
  return performance.now() - t;
}

try {
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error(`backend did not start:\n${stderr}`);
    const r = await fetch(`${BASE}/readyz`).catch(() => undefined);
    if (r?.ok) break;
    await sleep(200);
  }
  // Wait for the template (and the corpus) to be in the catalog.
  for (let i = 0; ; i++) {
    const r = await json('/api/scaffolder/v2/templates/default/template/bench-service/parameter-schema');
    const c = await json('/api/catalog/entities/by-query?filter=kind=component&limit=1');
    if (r.status === 200 && (!corpus || (c.body?.totalItems ?? 0) >= expectedComponents)) break;
    if (i > 1200) throw new Error('the catalog did not load the template/corpus in time');
    await sleep(250);
  }
  // Let stitching and the other plugins' first sweeps settle before measuring.
  await sleep(Number(opt['settle-s']) * 1000);
  const components = (await json('/api/catalog/entities/by-query?filter=kind=component&limit=1')).body.totalItems;

  for (let i = 0; i < 10; i++) await timedQuery();
  const baseline = [];
  for (let i = 0; i < Number(opt['baseline-requests']); i++) baseline.push(await timedQuery());

  const started = performance.now();
  const ids = await Promise.all(
    Array.from({ length: TASKS }, (_, i) =>
      json('/api/scaffolder/v2/tasks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          templateRef: 'template:default/bench-service',
          values: { name: `bench-svc-${i}`, remote: `file://${work}/remotes/svc-${i}.git` },
        }),
      }).then((r) => {
        if (r.status !== 201) throw new Error(`task creation answered ${r.status}: ${JSON.stringify(r.body)}`);
        return r.body.id;
      }),
    ),
  );
  const during = [];
  const finished = new Map();
  let maxRss = 0;
  let peakProcessing = 0;
  let lastCheck = 0;
  while (finished.size < TASKS) {
    during.push(await timedQuery());
    if (performance.now() - lastCheck > 1000) {
      lastCheck = performance.now();
      const list = (await json(`/api/scaffolder/v2/tasks?limit=500`)).body.tasks.filter((t) => ids.includes(t.id));
      peakProcessing = Math.max(peakProcessing, list.filter((t) => t.status === 'processing').length);
      for (const t of list)
        if (['completed', 'failed', 'cancelled'].includes(t.status) && !finished.has(t.id))
          finished.set(t.id, { status: t.status, ms: performance.now() - started, error: t.error });
      maxRss = Math.max(maxRss, processMemory(server.pid)?.rssMiB ?? 0);
    }
    if (performance.now() - started > 600_000) throw new Error('tasks did not finish within 10 minutes');
  }
  const wall = performance.now() - started;
  const durations = [...finished.values()].map((f) => f.ms);
  const failed = [...finished.values()].filter((f) => f.status !== 'completed');
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${Object.values(loadAverage()).join(' / ')}`,
    database: db.describe,
    components,
    tasks: TASKS,
    register: !opt['no-register'],
    ioConcurrency: Number(opt['io-concurrency']),
    completed: TASKS - failed.length,
    failed: failed.map((f) => f.error),
    peakProcessing,
    wallSeconds: round(wall / 1000),
    taskSeconds: summarize(durations.map((d) => d / 1000)),
    baselineMs: summarize(baseline),
    duringMs: summarize(during),
    maxRssMiB: round(maxRss),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `\nscaffolder bench: ${TASKS} concurrent tasks (peak ${peakProcessing} processing) finished in ${result.wallSeconds} s, ${result.completed} completed; ` +
      `catalog by-query p95 ${result.baselineMs.p95} ms idle → ${result.duringMs.p95} ms during (${result.duringMs.n} requests, max ${result.duringMs.max} ms) ` +
      `→ ${result.duringMs.p95 < 100 ? 'PASS' : 'FAIL'} (< 100 ms)`,
  );
} catch (e) {
  console.error(`bench failed: ${e.stack ?? e}\n--- backend stderr (tail) ---\n${stderr}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
