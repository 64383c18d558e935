#!/usr/bin/env node
// Waiting scaffolder tasks (issue 19): do 10,000 runs parked on wait:* steps cost the API
// anything? A waiting run holds no worker; it is a row with wake_at/waiting_on. Measured before and
// after the tasks exist, on a production build (`atrium start`):
//   - task list p95: GET /api/scaffolder/v2/tasks?limit=50&order=desc:created_at
//   - "Waiting for me" p95: GET /api/scaffolder/v2/tasks?waitingForMe=true&limit=50
//   - catalog by-query p95: GET /api/catalog/entities/by-query?filter=kind=component&limit=20
//   - backend RSS
// Targets: by-query and task list p95 within 10 % of before; memory flat. "Before" already holds
// 100 waiting runs, so each list shows a full page (50) in both measurements.
//
// How the runs are made (--create):
//   sql  (default) two real runs through the API (one waits for an approval, one for a callback),
//        then copied in bulk in SQL into TASKS rows with their steps and events: seconds for 10,000.
//        On Postgres the copies are made beside the running backend (psql); PGlite is one process's
//        own database, so the backend is stopped, the copies made with PGlite, and it is started
//        again; the baseline is then also taken on a freshly started backend (holding 100 runs).
//   http every run created through POST /v2/tasks and run to its wait (slow at 10,000).
//
//   node bench/waiting-tasks.mjs [--tasks 10000] [--create sql|http] [--db pglite|pg] [--requests 200] [--rounds 3]
//                                [--concurrency 8] [--settle-s 20] [--corpus bench/out/corpus-1000/all.yaml]
// Each figure is the median of --rounds rounds of --requests sequential requests per endpoint.
// Needs a build (npm run build): it starts packages/cli/bin/atrium.js.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createFreshDatabase, psql } from './lib/db.mjs';
import { loadAverage, processMemory, round } from './lib/proc.mjs';
import { summarize } from './lib/stats.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    create: { type: 'string', default: 'sql' },
    db: { type: 'string', default: 'pglite' },
    port: { type: 'string', default: '17931' },
    requests: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '8' },
    'settle-s': { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    corpus: { type: 'string', default: path.join(repoRoot, 'bench/out/corpus-1000/all.yaml') },
  },
  strict: true,
});
const TASKS = Number(opt.tasks);
if (!['sql', 'http'].includes(opt.create)) throw new Error('--create must be sql or http');
/** Waiting runs in the baseline: two full pages of the lists (half of them wait for the guest's approval). */
const BASE_TASKS = 100;
if (!Number.isInteger(TASKS) || TASKS <= BASE_TASKS) throw new Error(`--tasks must be an integer above ${BASE_TASKS} (the baseline's runs)`);
const PORT = Number(opt.port);
if (PORT < 17900 || PORT > 17999) throw new Error('--port must be in 17900-17999');
const BASE = `http://127.0.0.1:${PORT}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const runId = `wait-${Date.now().toString(36)}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-waiting-'));
const db = createFreshDatabase(opt.db, runId);

// Half the runs wait for an approval (they show under "Waiting for me" for the guest), half for a callback.
fs.writeFileSync(
  path.join(work, 'template.yaml'),
  `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: bench-wait }
spec:
  type: service
  parameters:
    - properties: { i: { type: number } }
  steps:
    - id: prepare
      action: debug:log
      input: { message: 'run \${{ parameters.i }}' }
    - id: approval
      if: '\${{ parameters.i % 2 == 0 }}'
      action: wait:approval
      input: { users: [user:default/guest], groups: [group:default/bench-approvers], expiresIn: P30D }
    - id: ci
      if: '\${{ parameters.i % 2 == 1 }}'
      action: wait:callback
      input: { expiresIn: P30D }
`,
);
const locations = [{ type: 'file', target: path.join(work, 'template.yaml') }];
const corpus = fs.existsSync(opt.corpus) ? opt.corpus : undefined;
if (corpus) locations.push({ type: 'file', target: corpus });
const configPath = path.join(work, 'config.json');
fs.writeFileSync(
  configPath,
  JSON.stringify({
    backend: { baseUrl: BASE, listen: { port: PORT, host: '127.0.0.1' }, database: db.config },
    catalog: { locations, processingPollMs: 500, readers: { fileRoots: [work] } },
    scaffolder: { concurrentTasksLimit: 10, waitPollSeconds: 5 },
  }),
);

let server;
let stderr = '';
const backendLog = path.join(repoRoot, 'bench/out', `waiting-tasks-backend-${Date.now()}.log`);
fs.mkdirSync(path.dirname(backendLog), { recursive: true });
function startServer() {
  server = spawn(process.execPath, [path.join(repoRoot, 'packages/cli/bin/atrium.js'), 'start', '--config', configPath], {
    cwd: work,
    // The backend's log (warnings and up) is kept beside the results, for a run that goes wrong.
    stdio: ['ignore', fs.openSync(backendLog, 'a'), 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  server.on('exit', (code, signal) => (stderr += `\n[backend exited: code ${code} signal ${signal}]`));
  server.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
}
async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
}
/** Until the backend answers and the catalog holds the template. */
async function ready() {
  for (let i = 0; ; i++) {
    if (i > 600) throw new Error(`backend did not start:\n${stderr}`);
    if ((await fetch(`${BASE}/readyz`).catch(() => undefined))?.ok) break;
    await sleep(200);
  }
  for (let i = 0; ; i++) {
    if ((await json('/api/scaffolder/v2/templates/default/template/bench-wait/parameter-schema')).status === 200) break;
    if (i > 1200) throw new Error('the catalog did not load the template in time');
    await sleep(250);
  }
}
const cleanup = async () => {
  await stopServer();
  db.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(1)));

async function json(p, init) {
  // A kept-alive connection the server closed while this request was on its way: a GET is sent again once.
  const send = () => fetch(`${BASE}${p}`, init);
  const res = await send()
    .catch((e) => {
      if (init?.method && init.method !== 'GET') throw e;
      if (e.cause?.code !== 'UND_ERR_SOCKET') throw e;
      return send();
    })
    .catch((e) => {
      throw new Error(`${p}: ${e.cause?.message ?? e.message}; backend stderr: ${stderr.trim() || '(none)'}`, { cause: e });
    });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const PATHS = {
  taskList: '/api/scaffolder/v2/tasks?limit=50&order=desc:created_at',
  waitingForMe: '/api/scaffolder/v2/tasks?waitingForMe=true&limit=50',
  byQuery: '/api/catalog/entities/by-query?filter=kind=component&limit=20',
};
async function timed(p) {
  const t = performance.now();
  const res = await fetch(`${BASE}${p}`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${p} answered ${res.status}`);
  return performance.now() - t;
}
/** Interleaved rounds, so drift in the machine's load hits every endpoint alike. */
async function measure() {
  for (const p of Object.values(PATHS)) for (let i = 0; i < 10; i++) await timed(p);
  const samples = Object.fromEntries(Object.keys(PATHS).map((k) => [k, []]));
  for (let i = 0; i < Number(opt.requests); i++) for (const [k, p] of Object.entries(PATHS)) samples[k].push(await timed(p));
  return { ...Object.fromEntries(Object.entries(samples).map(([k, s]) => [k, summarize(s)])), rssMiB: round(processMemory(server.pid)?.rssMiB ?? NaN) };
}

/**
 * A phase is measured in `--rounds` rounds of `--requests` each: sequential p95s on this machine
 * move by ±25 % from one round to the next, so each figure is the median of the rounds' (and every
 * round's p95 is printed, to show the spread).
 */
async function measurePhase() {
  const rounds = [];
  for (let r = 0; r < Math.max(1, Number(opt.rounds)); r++) rounds.push(await measure());
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const phase = { roundsP95: rounds.map((m) => Object.fromEntries(Object.keys(PATHS).map((k) => [k, m[k].p95]))) };
  for (const k of Object.keys(PATHS)) phase[k] = { p50: median(rounds.map((m) => m[k].p50)), p95: median(rounds.map((m) => m[k].p95)) };
  phase.rssMiB = rounds.at(-1).rssMiB;
  return phase;
}

/** Creates runs i = from..to-1 through the API, `concurrency` at a time; returns their ids. */
async function createThroughApi(from, to) {
  let next = from;
  const ids = [];
  await Promise.all(
    Array.from({ length: Number(opt.concurrency) }, async () => {
      while (next < to) {
        const i = next++;
        const r = await json('/api/scaffolder/v2/tasks', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ templateRef: 'template:default/bench-wait', values: { i } }),
        });
        if (r.status !== 201) throw new Error(`task creation answered ${r.status}: ${JSON.stringify(r.body)}`);
        ids.push(r.body.id);
      }
    }),
  );
  return ids;
}
// totalTasks is exact only up to 1,000 (then a lower bound): whether an n-th waiting run exists is asked by its offset.
const waitingCount = async (n) => {
  const page = (await json(`/api/scaffolder/v2/tasks?status=waiting&limit=1&offset=${n - 1}`)).body;
  return page.tasks.length === 1 ? n : Math.min(page.totalTasks, n - 1);
};
async function untilWaiting(n) {
  for (let i = 0; ; i++) {
    const waiting = await waitingCount(n);
    if (waiting >= n) return waiting;
    if (i > 7200) throw new Error(`only ${waiting} of ${n} tasks reached waiting`);
    await sleep(500);
  }
}

/**
 * SQL that copies the parked seed runs (rows, steps, events) until `total` runs wait: each copy a
 * new id and a slightly older created_at, whatever columns the tables have by then.
 */
function cloneSql(seedIds, total) {
  const copies = total - seedIds.length;
  const perSeed = Math.ceil(copies / seedIds.length);
  const seeds = seedIds.map((id) => `'${id.replace(/[^0-9a-f-]/gi, '')}'::uuid`).join(', ');
  return `
    create temp table bench_clone as
      select src, gen_random_uuid() as id, n from (
        select t.id as src, g as n, row_number() over (order by g, t.id) as k
        from scaffolder.tasks t, generate_series(1, ${perSeed}) g where t.id in (${seeds})
      ) x where k <= ${copies};
    insert into scaffolder.tasks
      select (jsonb_populate_record(null::scaffolder.tasks,
        to_jsonb(t) || jsonb_build_object('id', c.id, 'created_at', t.created_at - c.n * interval '1 millisecond'))).*
      from bench_clone c join scaffolder.tasks t on t.id = c.src;
    insert into scaffolder.task_steps
      select (jsonb_populate_record(null::scaffolder.task_steps, to_jsonb(s) || jsonb_build_object('task_id', c.id))).*
      from bench_clone c join scaffolder.task_steps s on s.task_id = c.src;
    insert into scaffolder.task_events (task_id, event_type, body, created_at)
      select c.id, e.event_type, e.body, e.created_at from bench_clone c join scaffolder.task_events e on e.task_id = c.src;
    drop table bench_clone;
  `;
}
/**
 * What autovacuum does on a Postgres server in production after that many inserts (the insert
 * threshold is 1,000 rows): statistics and the visibility map, so counts can be answered from an
 * index. The server here runs with autovacuum off, so the bench does it. (PGlite has no autovacuum
 * and nothing in Atrium vacuums the scaffolder's tables, so on PGlite the copies are left as they
 * are, like runs made by users.) VACUUM cannot run in the copy's transaction.
 */
const VACUUM_SQL = ['vacuum analyze scaffolder.tasks', 'vacuum analyze scaffolder.task_steps', 'vacuum analyze scaffolder.task_events'];

async function cloneRuns(seedIds, total) {
  const sql = cloneSql(seedIds, total);
  if (opt.db === 'pg') {
    psql(sql, db.pgDatabase);
    for (const v of VACUUM_SQL) psql(v, db.pgDatabase);
    return { restarted: false };
  }
  // PGlite: one process at a time holds the directory.
  await stopServer();
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create(db.dataDir);
  try {
    await pglite.exec(sql);
  } finally {
    await pglite.close();
  }
  startServer();
  await ready();
  return { restarted: true };
}

try {
  startServer();
  await ready();
  // The baseline already holds BASE_TASKS waiting runs, so both lists show a full page of 50 before
  // and after: the comparison is of a page among BASE_TASKS runs and a page among TASKS runs.
  // The copies are made of two runs parked for real (one of each kind).
  const seeds = await createThroughApi(0, 2);
  await untilWaiting(2);
  if (opt.create === 'http') await createThroughApi(2, BASE_TASKS);
  else await cloneRuns(seeds, BASE_TASKS);
  await untilWaiting(BASE_TASKS);
  // Let the other plugins' first sweeps settle before the baseline (on PGlite the backend was just
  // restarted by the copy; it is again before "after").
  await sleep(Number(opt['settle-s']) * 1000);
  const before = await measurePhase();

  const started = performance.now();
  let restarted = false;
  if (opt.create === 'http') await createThroughApi(BASE_TASKS, TASKS);
  else restarted = (await cloneRuns(seeds, TASKS - BASE_TASKS + seeds.length)).restarted;
  const createSeconds = (performance.now() - started) / 1000;
  // Until every run is parked (each ran one step, then let go of its worker).
  const waiting = await untilWaiting(TASKS);
  const parkedSeconds = (performance.now() - started) / 1000;
  // Settle like before the baseline: on Postgres the copy's 10,000 rows (and their steps and events)
  // are still being written out for seconds afterwards, which slowed every request measured 5 s
  // after it (by-query, whose data the copy never touches, +17–22 %); a restarted backend warms up.
  await sleep(Number(opt['settle-s']) * 1000);
  const after = await measurePhase();
  const pct = (a, b) => `${round(((b - a) / a) * 100)} %`;
  const result = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${Object.values(loadAverage()).join(' / ')}`,
    database: db.describe,
    corpus: corpus ? path.relative(repoRoot, corpus) : 'none',
    tasks: TASKS,
    create:
      opt.create === 'sql'
        ? `2 runs through the API, the rest copied in SQL; baseline with ${BASE_TASKS}${restarted ? ' (PGlite: before and after each measured on a freshly started backend)' : ''}`
        : 'every run through the API',
    waiting,
    createSeconds: round(createSeconds),
    parkedSeconds: round(parkedSeconds),
    before,
    after,
    p95Change: {
      taskList: pct(before.taskList.p95, after.taskList.p95),
      waitingForMe: pct(before.waitingForMe.p95, after.waitingForMe.p95),
      byQuery: pct(before.byQuery.p95, after.byQuery.p95),
      rss: pct(before.rssMiB, after.rssMiB),
    },
  };
  console.log(JSON.stringify(result, null, 2));
  const line = (k) => `${k} p95 ${round(before[k].p95)} → ${round(after[k].p95)} ms (${result.p95Change[k]})`;
  console.error(
    `bench: ${waiting} waiting runs — ${line('byQuery')}; ${line('taskList')}; ${line('waitingForMe')}; RSS ${before.rssMiB} → ${after.rssMiB} MiB (${result.p95Change.rss})`,
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanup();
}
