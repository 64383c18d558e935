#!/usr/bin/env node
// Scorecards benchmark: full evaluation of 3 scorecards x 10 rules over the generated corpus, a
// no-change re-sweep, and the latency from a catalog change event to the changed result on the API.
//
//   node --conditions=source --import tsx bench/scorecards.mjs [--n 60000] [--db pglite|pg] [--changes 10]
//   (or, after `npm run build`, plain `node bench/scorecards.mjs ...` against the built packages)
//
// gen-corpus.mjs 60000 yields about 100,000 entities. The catalog is replaced by an in-memory
// CatalogService holding the parsed corpus (relations derived from spec fields), so the figures
// are the scorecards plugin's own work: paging through the catalog service, facts, CEL
// evaluation and writing results/history to the database. Catalog ingest is measured by
// bench/catalog.mjs. `--db pg` uses ATRIUM_TEST_POSTGRES_URL (a fresh database is created).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { definePlugin } from '@atrium/backend-plugin-api';
import { catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { scorecardsPlugin } from '@atrium/plugin-scorecards/backend';
import { startTestBackend } from '@atrium/test-utils';
import { loadAll } from 'js-yaml';
import { pgBackendPids } from './lib/db.mjs';
import { processCpuSeconds } from './lib/proc.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const GEN = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '60000' },
    db: { type: 'string', default: 'pglite' },
    changes: { type: 'string', default: '10' },
    corpus: { type: 'string' },
    'pglite-memory': { type: 'boolean', default: false },
  },
});
const N = Number(opt.n);
const corpusDir = opt.corpus ?? path.join(repoRoot, 'bench/out', `scorecards-corpus-${N}`);
if (!fs.existsSync(path.join(corpusDir, 'manifest.json'))) {
  console.log(`generating corpus N=${N} in ${corpusDir}`);
  execFileSync(process.execPath, [GEN, String(N), corpusDir], { stdio: 'ignore' });
}

// ---- corpus → entities with Backstage-style relations ----
const t0 = Date.now();
const entities = [];
for (const file of fs.readdirSync(path.join(corpusDir, 'entities')).sort()) {
  for (const doc of loadAll(fs.readFileSync(path.join(corpusDir, 'entities', file), 'utf8'))) if (doc) entities.push(doc);
}
const refOf = (e) => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
const norm = (ref, kind) => {
  const withKind = ref.includes(':') ? ref : `${kind}:${ref}`;
  const i = withKind.indexOf(':');
  const rest = withKind.slice(i + 1);
  return `${withKind.slice(0, i)}:${rest.includes('/') ? rest : `default/${rest}`}`.toLowerCase();
};
const byRef = new Map(entities.map((e) => [refOf(e), e]));
const addRel = (e, type, targetRef) => (e.relations ??= []).push({ type, targetRef });
const PAIRS = [
  ['owner', 'group', 'ownedBy', 'ownerOf'],
  ['system', 'system', 'partOf', 'hasPart'],
  ['dependsOn', 'component', 'dependsOn', 'dependencyOf'],
  ['providesApis', 'api', 'providesApi', 'apiProvidedBy'],
  ['consumesApis', 'api', 'consumesApi', 'apiConsumedBy'],
];
for (const e of entities) {
  e.metadata.namespace ??= 'default';
  e.metadata.uid = refOf(e);
  for (const [field, kind, type, inverse] of PAIRS) {
    const v = e.spec?.[field];
    for (const target of (Array.isArray(v) ? v : v ? [v] : []).map((r) => norm(String(r), kind))) {
      addRel(e, type, target);
      const t = byRef.get(target);
      if (t) addRel(t, inverse, refOf(e));
    }
  }
}
const ordered = [...byRef.keys()].sort();
console.log(`corpus: ${entities.length} entities parsed in ${Date.now() - t0} ms`);

// ---- an in-memory catalog service ----
const valueAt = (e, p) => p.split('.').reduce((o, k) => (o == null ? undefined : o[k]), e);
function matches(e, filter) {
  for (const [k, v] of Object.entries(filter ?? {})) {
    const wanted = (Array.isArray(v) ? v : [v]).map((x) => String(x).toLowerCase());
    const actual = valueAt(e, k);
    const list = (Array.isArray(actual) ? actual : [actual]).filter((x) => x != null).map((x) => String(x).toLowerCase());
    if (!list.some((x) => wanted.includes(x))) return false;
  }
  return true;
}
let events;
const catalogService = {
  async getEntityByRef(ref) {
    return byRef.get(String(ref).toLowerCase());
  },
  async getEntitiesByRefs(refs) {
    return refs.map((r) => byRef.get(r.toLowerCase()));
  },
  async queryEntities(req = {}) {
    const offset = req.cursor ? Number(req.cursor) : 0;
    const limit = req.limit ?? 1000;
    const items = ordered.slice(offset, offset + limit).map((r) => byRef.get(r));
    return { items, pageInfo: offset + limit < ordered.length ? { nextCursor: String(offset + limit) } : {} };
  },
  async getEntities(req = {}) {
    const filters = Array.isArray(req.filter) ? req.filter : [req.filter ?? {}];
    return { items: ordered.map((r) => byRef.get(r)).filter((e) => filters.some((f) => matches(e, f))) };
  },
  async getEntityFacets() {
    return { facets: {} };
  },
  async refreshEntity() {},
  onEntityChange() {
    return () => {};
  },
};
const fakeCatalog = definePlugin({
  id: 'catalog',
  provides: catalogServiceRef,
  setup(ctx) {
    events = ctx.events;
    return catalogService;
  },
});

// ---- 3 scorecards x 10 rules ----
const rule = (id, level, condition, weight = 1) => ({ id, level, condition, weight, failureMessage: `Fix ${id}` });
const levels = [{ id: 'bronze' }, { id: 'silver' }, { id: 'gold' }];
const definitions = [
  {
    id: 'production-readiness',
    filter: { kind: 'Component' },
    levels,
    rules: [
      rule('owner', 'bronze', 'facts.ownerResolves', 10),
      rule('description', 'bronze', 'facts.hasDescription', 5),
      rule('lifecycle', 'bronze', 'entity.spec.lifecycle in ["production", "experimental", "deprecated"]'),
      rule('system', 'silver', 'has(entity.spec.system) && !empty(entity.spec.system)'),
      rule('dashboard', 'silver', 'has(entity.metadata.links) && entity.metadata.links.exists(l, l.url.matches("^https://(grafana|dashboards)\\\\."))'),
      rule('source', 'silver', 'has(entity.metadata.annotations) && "backstage.io/source-location" in entity.metadata.annotations'),
      rule('deps', 'gold', 'count(relations.dependsOn) < 10'),
      rule('tier', 'gold', 'has(entity.metadata.labels) && has(entity.metadata.labels.tier) && entity.metadata.labels.tier in ["1", "2"]'),
      rule('techdocs', 'gold', 'facts.techdocsBuilt == true'),
      rule('recent', 'gold', 'facts.daysSinceChange < 365'),
    ],
  },
  {
    id: 'documentation',
    filter: { kind: ['Component', 'API', 'System'] },
    levels,
    rules: [
      rule('description', 'bronze', 'facts.hasDescription'),
      rule('title', 'bronze', 'has(entity.metadata.title) && size(entity.metadata.title) > 3'),
      rule('long-description', 'bronze', 'has(entity.metadata.description) && size(entity.metadata.description) > 20'),
      rule('api-definition', 'silver', 'entity.kind != "API" || facts.apiHasDefinition == true'),
      rule('links', 'silver', 'has(entity.metadata.links) && size(entity.metadata.links) > 0'),
      rule('techdocs-ref', 'silver', 'has(entity.metadata.annotations) && "backstage.io/techdocs-ref" in entity.metadata.annotations'),
      rule('tags', 'gold', 'has(entity.metadata.tags) && size(entity.metadata.tags) > 0'),
      rule('tags-lowercase', 'gold', '!has(entity.metadata.tags) || entity.metadata.tags.all(t, t.matches("^[a-z0-9-]+$"))'),
      rule('name-format', 'gold', 'entity.metadata.name.matches("^[a-z][a-z0-9-]*$")'),
      rule('owned', 'gold', 'facts.ownerResolves'),
    ],
  },
  {
    id: 'operations',
    filter: { kind: ['Component', 'Resource'] },
    levels,
    rules: [
      rule('owner', 'bronze', 'facts.ownerResolves'),
      rule('lifecycle-set', 'bronze', 'exists(entity.spec.lifecycle)'),
      rule('type-known', 'bronze', 'entity.spec.type in ["service", "website", "library", "database", "queue", "bucket", "cache"]'),
      rule('few-consumers', 'silver', 'count(relations.apiConsumedBy) < 50'),
      rule('has-dependents', 'silver', 'facts.dependents >= 0'),
      rule('no-deprecated-deps', 'silver', '!has(entity.spec.dependsOn) || entity.spec.dependsOn.all(d, !d.contains("legacy"))'),
      rule('slug', 'gold', 'has(entity.metadata.annotations) && entity.metadata.annotations.exists(k, k.startsWith("github.com/"))'),
      rule(
        'gdpr-tagged',
        'gold',
        'entity.kind != "Component" || (has(entity.metadata.tags) && ("gdpr" in entity.metadata.tags || "pci" in entity.metadata.tags || size(entity.metadata.tags) > 0))',
      ),
      rule('not-experimental', 'gold', 'entity.spec.lifecycle != "experimental"'),
      rule('partof', 'gold', 'count(relations.partOf) > 0 || entity.kind == "Resource"'),
    ],
  },
];

// ---- run ----
// CPU of this process (backend, scorecards, PGlite) plus, on Postgres, the server backends of the bench database.
let pgDatabase;
const cpu = () => {
  const u = process.cpuUsage();
  const pg = pgDatabase ? pgBackendPids(pgDatabase).reduce((n, pid) => n + (processCpuSeconds(pid) ?? 0), 0) : 0;
  return (u.user + u.system) / 1e6 + pg;
};
const load = () => os.loadavg()[0].toFixed(1);
const cpuStart = cpu();
const started = Date.now();
const pgliteDir = opt.db !== 'pg' && !opt['pglite-memory'] ? fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-pglite-')) : undefined;
const backend = await startTestBackend({
  database: opt.db === 'pg' ? 'postgres' : 'pglite',
  plugins: [fakeCatalog, scorecardsPlugin],
  config: {
    scorecards: { definitions, evaluationIntervalSeconds: 86_400, eventBatchMs: 50, git: { enabled: false } },
    // PGlite on disk, as `npm start` runs it (--pglite-memory: in memory, as the tests run it).
    ...(pgliteDir ? { backend: { database: { connection: pgliteDir } } } : {}),
  },
});
if (backend.postgresUrl) pgDatabase = new URL(backend.postgresUrl).pathname.slice(1);
const api = async (p, init) => {
  const r = await backend.json(`/api/scorecards${p}`, init);
  if (r.status >= 400) throw new Error(`${p}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let status;
for (;;) {
  status = await api('/status');
  if (status.lastSweep) break;
  if (Date.now() - started > 20 * 60_000) throw new Error('the first sweep did not finish within 20 minutes (run with LOG_LEVEL=info to see why)');
  await sleep(250);
}
if (status.errors.length) throw new Error(`definition errors: ${JSON.stringify(status.errors)}`);
const first = status.lastSweep;
const list = await api('/scorecards');
const results = list.items.reduce((n, s) => n + s.entityCount, 0);
const cpuFirst = cpu();
console.log(
  `first sweep: ${first.entities} entities, ${results} results (${list.items.map((s) => `${s.id}=${s.entityCount}`).join(', ')}), ${first.changed} written, ${(first.durationMs / 1000).toFixed(1)} s (startup to done ${((Date.now() - started) / 1000).toFixed(1)} s, CPU ${(cpuFirst - cpuStart).toFixed(1)} s, load average ${load()})`,
);

const t1 = Date.now();
const cpu1 = cpu();
const second = (await api('/evaluate', { method: 'POST' })).lastSweep;
console.log(
  `no-change sweep: ${second.changed} written, ${(second.durationMs / 1000).toFixed(1)} s (request ${((Date.now() - t1) / 1000).toFixed(1)} s, CPU ${(cpu() - cpu1).toFixed(1)} s, load average ${load()})`,
);

// One entity changes: drop its description, publish the catalog's event, wait for the result.
const components = ordered.filter((r) => r.startsWith('component:'));
const latencies = [];
for (let i = 0; i < Number(opt.changes); i++) {
  const ref = components[(i * 7919) % components.length];
  const e = byRef.get(ref);
  const before = JSON.stringify((await api(`/entities/component/default/${e.metadata.name}`)).results.map((r) => [r.scorecardId, r.points]));
  e.metadata.description = e.metadata.description ? '' : 'A description that is long enough for the rule.';
  const t = performance.now();
  await events.publish('catalog.entity.upserted', { entityRef: ref, uid: ref });
  for (;;) {
    const now = JSON.stringify((await api(`/entities/component/default/${e.metadata.name}`)).results.map((r) => [r.scorecardId, r.points]));
    if (now !== before) break;
    if (performance.now() - t > 30_000) throw new Error(`change to ${ref} not reflected in 30 s`);
    await sleep(10);
  }
  latencies.push(performance.now() - t);
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
console.log(
  `change → result: median ${pct(50).toFixed(0)} ms, p90 ${pct(90).toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms over ${latencies.length} changes`,
);
console.log(
  `rss ${(process.memoryUsage().rss / 1e9).toFixed(2)} GB; machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}, db ${opt.db}`,
);
await backend.stop();
if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true });
