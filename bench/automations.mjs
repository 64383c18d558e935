#!/usr/bin/env node
// Automations benchmark (issue 18):
//  1. a burst of N catalog changes (N new components in one location refresh): every matching
//     automation runs once per entity (checked at the receiver), webhook deliveries per second to a
//     local receiver, and the catalog API's p95 meanwhile (sequential GET /entities/by-query);
//  2. event-to-delivery latency when idle: an event appended by a plugin (probe.ping) to the
//     webhook request arriving at the receiver, p50/p95 over --idle samples.
//
//   node --conditions=source --import tsx bench/automations.mjs [--n 10000] [--db pglite|pg] [--idle 50] [--concurrency 32]
//
// Deliveries per second are given over the whole delivery window (first to last arrival), after
// the catalog had stored the burst (the automations' own pace, no longer bound by the catalog's),
// and per second of the window (p50 and the slowest full second). The catalog API's latency is
// given overall and split into while the catalog was storing the burst and after.
//
// `--db pg` uses ATRIUM_TEST_POSTGRES_URL (a fresh database is created and dropped).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { definePlugin } from '@atrium/backend-plugin-api';
import { automationKinds, automationsPlugin, automationsServiceRef } from '@atrium/plugin-automations/backend';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startTestBackend } from '@atrium/test-utils';
import { loadAverage, processCpuSeconds } from './lib/proc.mjs';
import { summarize } from './lib/stats.mjs';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    db: { type: 'string', default: 'pglite' },
    idle: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '32' },
  },
});
const N = Number(opt.n);
const IDLE = Number(opt.idle);

// ---- the receiver: counts deliveries per (automation, entity) and keeps arrival times ----
const arrivals = []; // { at, automation, key, ref }
const byKey = new Map();
const waiters = new Map(); // ping id -> resolve
const receiver = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const at = performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    const automation = String(req.headers['x-atrium-automation']);
    const key = String(req.headers['idempotency-key']);
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    if (automation === 'ping') waiters.get(body?.id)?.(at);
    else arrivals.push({ at, automation, ref: body?.ref });
    res.end('ok');
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const hook = `http://127.0.0.1:${receiver.address().port}`;

const probe = definePlugin({
  id: 'probe',
  deps: { automations: automationsServiceRef },
  setup({ deps }) {
    deps.automations.registerTrigger({ type: 'probe.ping', description: 'bench ping' });
  },
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-automations-'));
const file = path.join(dir, 'catalog.yaml');
const group = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: 'team-a' }, spec: { type: 'team', children: [] } };
const docs = (n) =>
  [
    group,
    ...Array.from({ length: n }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: `svc-${i}` },
      spec: { type: i % 2 ? 'website' : 'service', lifecycle: 'production', owner: 'team-a' },
    })),
  ]
    .map((d) => JSON.stringify(d))
    .join('\n---\n');
fs.writeFileSync(file, docs(0));

const backend = await startTestBackend({
  database: opt.db === 'pg' ? 'postgres' : 'pglite',
  plugins: [catalogPlugin, automationsPlugin, probe],
  configDir: dir,
  config: {
    catalog: { readers: { fileRoots: [dir] }, kinds: automationKinds, locations: [{ type: 'file', target: 'catalog.yaml' }] },
    automations: {
      allowedHosts: ['127.0.0.1'],
      deliveryConcurrency: Number(opt.concurrency),
      pollIntervalMs: 250,
      rules: [
        {
          id: 'all-components',
          trigger: { type: 'entity.created' },
          condition: 'entity.kind == "Component"',
          actions: [{ type: 'webhook', url: `${hook}/all`, body: { ref: '{{ event.entityRef }}' } }],
        },
        {
          id: 'services',
          trigger: { type: 'entity.created' },
          condition: 'entity.kind == "Component" && entity.spec.type == "service"',
          actions: [{ type: 'webhook', url: `${hook}/services`, body: { ref: '{{ event.entityRef }}' } }],
        },
        {
          id: 'never',
          trigger: { type: 'entity.created' },
          condition: 'entity.kind == "API"',
          actions: [{ type: 'webhook', url: `${hook}/never`, body: { ref: '{{ event.entityRef }}' } }],
        },
        { id: 'ping', trigger: { type: 'probe.ping' }, actions: [{ type: 'webhook', url: `${hook}/ping`, body: { id: '{{ event.payload.id }}' } }] },
      ],
    },
  },
});
const until = async (check, timeoutMs, what) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
await until(async () => (await backend.json('/api/automations/automations')).body.items.filter((a) => a.enabled).length === 4, 60_000, 'the automations');
const load0 = loadAverage();

// ---- 1. the burst ----
fs.writeFileSync(file, docs(N));
const expected = N + Math.ceil(N / 2);
const started = performance.now();
const cpu0 = processCpuSeconds(process.pid);
let apiDone = false;
const apiSamples = [];
const apiLoop = (async () => {
  while (!apiDone) {
    const t = performance.now();
    const r = await backend.fetch('/api/catalog/entities/by-query?limit=20&filter=kind=component');
    await r.arrayBuffer();
    apiSamples.push({ at: t, ms: performance.now() - t });
  }
})();
await backend.json('/api/catalog/refresh', { method: 'POST', body: { entityRef: 'group:default/team-a' } });
// When the catalog has every entity stored (its events come as it stitches, so deliveries can not finish earlier).
let catalogDoneMs;
const catalogWatch = (async () => {
  for (;;) {
    const r = await backend.json('/api/catalog/entities/by-query?limit=1&filter=kind=component');
    if (r.body.totalItems >= N) return (catalogDoneMs = performance.now() - started);
    await new Promise((res) => setTimeout(res, 250));
  }
})();
await until(() => arrivals.length >= expected, 30 * 60_000, `${expected} deliveries (have ${arrivals.length})`);
// A little longer, to see duplicates or stray deliveries if there were any.
await new Promise((r) => setTimeout(r, 2000));
apiDone = true;
await apiLoop;
await catalogWatch;
const burstMs = performance.now() - started;
const first = Math.min(...arrivals.map((a) => a.at));
const last = Math.max(...arrivals.map((a) => a.at));
const perAutomation = (id) => new Set(arrivals.filter((a) => a.automation === id).map((a) => a.ref)).size;
const duplicates = [...byKey.values()].filter((n) => n > 1).length;
const catalogDoneAt = started + catalogDoneMs;
const afterCatalog = arrivals.filter((a) => a.at >= catalogDoneAt);
const afterFirst = afterCatalog.length ? Math.max(catalogDoneAt, first) : last;
// Deliveries in each full second of the window (the last, partial second left out).
const perSecond = [];
for (let t = first; t + 1000 <= last; t += 1000) perSecond.push(arrivals.filter((a) => a.at >= t && a.at < t + 1000).length);
const sortedSeconds = [...perSecond].sort((a, b) => a - b);
const loadBurst = loadAverage();
const cpuBurst = processCpuSeconds(process.pid);

// ---- 2. idle latency ----
const service = backend.backend.service(automationsServiceRef);
const latencies = [];
for (let i = 0; i < IDLE; i++) {
  const id = `p${i}`;
  const arrived = new Promise((resolve) => waiters.set(id, resolve));
  const t = performance.now();
  await service.emit('probe.ping', { payload: { id } });
  latencies.push((await arrived) - t);
  await new Promise((r) => setTimeout(r, 100));
}

const result = {
  n: N,
  db: opt.db,
  concurrency: Number(opt.concurrency),
  burst: {
    deliveries: arrivals.length,
    expected,
    runsOncePerEntity: perAutomation('all-components') === N && perAutomation('services') === Math.ceil(N / 2) && perAutomation('never') === 0,
    distinct: { 'all-components': perAutomation('all-components'), services: perAutomation('services'), never: perAutomation('never') },
    // At-least-once: a delivery whose answer came after its timeout (a loaded machine) is sent again.
    deliveredMoreThanOnce: duplicates,
    totalMs: Math.round(burstMs),
    // This process (backend, receiver and API client; with PGlite also the database).
    processCpuSeconds: cpu0 === null || cpuBurst === null ? null : Math.round((cpuBurst - cpu0) * 10) / 10,
    catalogStoredMs: Math.round(catalogDoneMs),
    firstDeliveryMs: Math.round(Math.min(...arrivals.map((a) => a.at)) - started),
    deliveryWindowMs: Math.round(last - first),
    deliveriesPerSecond: Math.round((arrivals.length / Math.max(1, last - first)) * 1000),
    afterCatalogStored: {
      deliveries: afterCatalog.length,
      ms: Math.round(last - afterFirst),
      perSecond: afterCatalog.length > 1 ? Math.round((afterCatalog.length / Math.max(1, last - afterFirst)) * 1000) : null,
    },
    perSecondOfWindow: perSecond.length ? { seconds: perSecond.length, p50: sortedSeconds[Math.floor(sortedSeconds.length / 2)], min: sortedSeconds[0] } : null,
    catalogApiMs: summarize(apiSamples.map((x) => x.ms)),
    catalogApiMsWhileStoring: summarize(apiSamples.filter((x) => x.at < catalogDoneAt).map((x) => x.ms)),
    catalogApiMsAfter: summarize(apiSamples.filter((x) => x.at >= catalogDoneAt).map((x) => x.ms)),
  },
  idleEventToDeliveryMs: summarize(latencies),
  loadAverage: { before: load0, afterBurst: loadBurst, end: loadAverage() },
};
console.log(JSON.stringify(result, null, 2));
await backend.stop();
receiver.close();
fs.rmSync(dir, { recursive: true, force: true });
