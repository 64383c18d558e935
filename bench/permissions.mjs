#!/usr/bin/env node
// Permission decisions in process: µs per authorize() and the time of a batched UI check of 50
// (authorizeMany). Targets (issue 15): < 50 µs per decision, a batch of 50 < 5 ms.
//
//   node --conditions=source --import tsx bench/permissions.mjs [--n 200000] [--rules 200]
//        [--entities 100000] [--db pglite|pg] [--requests 200] [--skip-http]
//
// Then, on a real backend started in this process (catalog + system plugins, the policy below,
// a corpus of --entities components from ../shared/bench/gen-corpus.mjs): a batched UI check of
// 50 actions over HTTP (POST /api/permissions/authorize), filtered vs unfiltered by-query and
// facets (p50/p95; the filtered caller sees only its team's entities: an ownership condition
// compiled into the catalog's SQL), and the audit write a mutation adds (an insert in a
// transaction, with and without audit.record(…, { trx })). Targets: batch < 5 ms; filtered p95
// < 50 ms and within 20 % of unfiltered; audit < 1 ms per mutation.
//
// The policy is the shipped production one plus `--rules` filler rules for other permissions
// (so a decision's cost shows it only walks the rules naming its permission). Entities come from
// an in-memory map standing in for the catalog's lookup, so the figures are the engine's alone.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

// It reads the sources (TypeScript): started without tsx (`npm run bench -- permissions`), it runs itself again with it.
if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { definePermission } = await import('@atrium/backend-plugin-api');
const { loadConfig } = await import('../packages/backend/src/config/loadConfig.ts');
const { defaultPlugins } = await import('../packages/backend/src/plugins.ts');
const { PermissionCatalogue } = await import('../packages/backend/src/permissions/catalogue.ts');
const { PolicyEvaluator } = await import('../packages/backend/src/permissions/evaluator.ts');
const { createPolicyPermissions } = await import('../packages/backend/src/permissions/policyPermissions.ts');

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '200000' },
    rules: { type: 'string', default: '200' },
    entities: { type: 'string', default: '100000' },
    db: { type: 'string', default: 'pglite' },
    requests: { type: 'string', default: '200' },
    'skip-http': { type: 'boolean', default: false },
  },
});
const N = Number(opt.n);
const repoRoot = path.resolve(import.meta.dirname, '..');

const filler = Array.from({ length: Number(opt.rules) }, (_, i) => definePermission({ name: `filler.thing${i}.read`, action: 'read', description: 'filler' }));
const catalogue = PermissionCatalogue.fromPlugins([...defaultPlugins, { id: 'filler', permissions: filler, setup() {} }]);
const config = loadConfig({
  rootDir: repoRoot,
  configFiles: [path.join(repoRoot, 'app-config.production.yaml')],
  env: { POSTGRES_HOST: 'x', POSTGRES_USER: 'x' },
});
const shipped = config.get('permission.policy');
const policy = { ...shipped, rules: [...filler.map((p) => ({ effect: 'allow', permissions: [p.name], subjects: ['group:default/other'] })), ...shipped.rules] };
const evaluator = new PolicyEvaluator(policy, catalogue);

const entities = new Map();
for (let i = 0; i < 1000; i++) {
  entities.set(`component:default/svc-${i}`, {
    kind: 'Component',
    metadata: { name: `svc-${i}`, namespace: 'default', tags: ['java'] },
    spec: { type: 'service', lifecycle: 'production', owner: `team-${i % 20}` },
    relations: [{ type: 'ownedBy', targetRef: `group:default/team-${i % 20}` }],
  });
}
const permissions = createPolicyPermissions({ evaluator, findEntities: async (refs) => refs.map((ref) => entities.get(ref)), audit: { record() {} } });
const caller = {
  type: 'user',
  userEntityRef: 'user:default/jdoe',
  ownershipEntityRefs: ['user:default/jdoe', 'group:default/team-3', 'group:default/org'],
  displayName: 'jdoe',
};
const requests = Array.from({ length: 50 }, (_, i) =>
  i % 5 === 0
    ? { permission: 'scorecards.read' }
    : { permission: i % 2 ? 'catalog.entity.delete' : 'catalog.entity.refresh', resourceRef: `component:default/svc-${i * 7}` },
);

async function perDecision(label, makeRequest) {
  for (let i = 0; i < 20_000; i++) await permissions.authorize(caller, makeRequest(i)); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await permissions.authorize(caller, makeRequest(i));
  const us = ((performance.now() - t0) * 1000) / N;
  console.log(`${label.padEnd(58)} ${us.toFixed(2)} µs/decision`);
}

console.log(`policy: ${policy.rules.length} rules, catalogue: ${catalogue.list().length} permissions, ${N} decisions per line`);
await perDecision('unconditional (catalog.entity.read)', () => ({ permission: 'catalog.entity.read' }));
await perDecision('conditional, entity looked up by ref (catalog.entity.delete)', (i) => ({
  permission: 'catalog.entity.delete',
  resourceRef: `component:default/svc-${i % 1000}`,
}));
await perDecision('conditional, entity given (catalog.entity.delete)', (i) => ({
  permission: 'catalog.entity.delete',
  resource: entities.get(`component:default/svc-${i % 1000}`),
}));
await perDecision('no rule allows (audit.log.read)', () => ({ permission: 'audit.log.read' }));

const runs = [];
for (let r = 0; r < 2000; r++) {
  const t0 = performance.now();
  await permissions.authorizeMany(caller, requests);
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
console.log(`${'batch of 50 (authorizeMany), 2000 runs'.padEnd(58)} median ${runs[1000].toFixed(3)} ms, p99 ${runs[1980].toFixed(3)} ms`);

if (!opt['skip-http']) await httpPart();

/** The HTTP and database figures, on a backend started in this process. */
async function httpPart() {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const { execFileSync } = await import('node:child_process');
  const { createFreshDatabase } = await import('./lib/db.mjs');
  const { summarize } = await import('./lib/stats.mjs');
  const { loadAverage } = await import('./lib/proc.mjs');
  const { createBackend } = await import('../packages/backend/src/index.ts');
  const { catalogPlugin } = await import('../plugins/catalog/src/backend/index.ts');
  const { systemPlugin } = await import('../plugins/system/src/backend/index.ts');
  const { definePlugin } = await import('@atrium/backend-plugin-api');

  const GEN = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
  if (!fs.existsSync(GEN)) {
    console.log(`(HTTP part skipped: the corpus generator ${GEN} is absent; set BENCH_GEN_CORPUS)`);
    return;
  }
  const ENTITIES = Number(opt.entities);
  const REQUESTS = Number(opt.requests);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-permissions-'));
  const database = createFreshDatabase(opt.db, `perm${process.pid}`);
  execFileSync(process.execPath, [GEN, String(ENTITIES), path.join(work, 'corpus')], { stdio: 'ignore' });
  const manifest = JSON.parse(fs.readFileSync(path.join(work, 'corpus', 'manifest.json'), 'utf8'));
  const benchPolicy = {
    roles: { admin: { members: ['user:default/user-000001'] } },
    rules: [
      { id: 'admins', effect: 'allow', permissions: ['*'], roles: ['admin'] },
      { id: 'owners-read', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { isEntityOwner: true } },
      { id: 'org', effect: 'allow', permissions: ['catalog.entity.read'], conditions: { kind: ['group', 'user'] } },
      { id: 'owners-change', effect: 'allow', permissions: ['catalog.entity.delete', 'catalog.entity.refresh'], conditions: { isEntityOwner: true } },
    ],
  };
  let captured;
  const probe = definePlugin({
    id: 'benchprobe',
    setup(ctx) {
      captured = ctx;
    },
  });
  const cfgFile = path.join(work, 'app-config.yaml');
  fs.writeFileSync(
    cfgFile,
    JSON.stringify({
      backend: { listen: { port: 0 }, database: database.config, reading: { fileRoots: [work] } },
      catalog: { readers: { fileRoots: [work] }, locations: [{ type: 'file', target: path.join(work, 'corpus', 'all.yaml') }] },
      permission: { policy: benchPolicy },
    }),
  );
  const backend = await createBackend({
    config: loadConfig({ rootDir: work, configFiles: [cfgFile], env: {} }),
    plugins: [systemPlugin, catalogPlugin, probe],
    appDistDir: null,
  });
  const { url } = await backend.start();
  const t0 = performance.now();
  const expected = manifest.expectedCatalogTotal;
  const admin = { cookie: `atrium_session=${(await backend.auth.sessions.create('user:default/user-000001')).secret}` };
  const member = { cookie: `atrium_session=${(await backend.auth.sessions.create('user:default/user-000000')).secret}` };
  const json = async (p, headers, init = {}) => {
    const res = await fetch(`${url}${p}`, { ...init, headers: { ...headers, 'content-type': 'application/json', origin: url } });
    const body = await res.json();
    if (!res.ok) throw new Error(`${p}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return body;
  };
  for (;;) {
    const { totalItems } = await json('/api/catalog/entities/by-query?limit=1', admin);
    if (totalItems >= expected) break;
    if (performance.now() - t0 > 3_600_000) throw new Error('the corpus was not ingested within an hour');
    await new Promise((r) => setTimeout(r, 2000));
  }
  console.log(
    `\nbackend: ${database.describe}; ${expected} entities ingested in ${((performance.now() - t0) / 1000).toFixed(0)} s; load average ${JSON.stringify(loadAverage())}`,
  );
  const time = async (fn) => {
    const samples = [];
    for (let i = 0; i < 10; i++) await fn(i);
    for (let i = 0; i < REQUESTS; i++) {
      const s0 = performance.now();
      await fn(i);
      samples.push(performance.now() - s0);
    }
    return summarize(samples);
  };
  const fmt = (label, s) => console.log(`${label.padEnd(58)} p50 ${s.p50} ms, p95 ${s.p95} ms (n ${s.n})`);
  const names = manifest.componentNames;
  const batch = Array.from({ length: 50 }, (_, i) =>
    i % 5 === 0
      ? { permission: 'catalog.location.read' }
      : { permission: i % 2 ? 'catalog.entity.delete' : 'catalog.entity.refresh', resourceRef: `component:default/${names[(i * 7) % names.length]}` },
  );
  fmt(
    'batched authorize of 50 over HTTP (member)',
    await time(() => json('/api/permissions/authorize', member, { method: 'POST', body: JSON.stringify({ items: batch }) })),
  );
  const seen = (await json('/api/catalog/entities/by-query?limit=1&filter=kind=component', member)).totalItems;
  console.log(`the member reads ${seen} of ${manifest.counts.Component} components (ownership condition)`);
  const q = '/api/catalog/entities/by-query?limit=20&filter=kind=component&orderField=metadata.name,asc';
  const f = '/api/catalog/entity-facets?facet=spec.type&facet=spec.lifecycle&filter=kind=component';
  const rows = [];
  for (const [label, p] of [
    ['by-query', q],
    ['facets', f],
  ]) {
    const all = await time(() => json(p, admin));
    const mine = await time(() => json(p, member));
    fmt(`${label}, unfiltered (admin)`, all);
    fmt(`${label}, filtered by ownership (member)`, mine);
    rows.push(`${label}: filtered p95 ${mine.p95} ms vs unfiltered ${all.p95} ms (${(((mine.p95 - all.p95) / all.p95) * 100).toFixed(0)} %)`);
  }
  for (const r of rows) console.log(r);

  // Audit: one insert per transaction, with and without its audit record, interleaved.
  const db = captured.db;
  if (!(await db.schema.hasTable('bench_changes')))
    await db.schema.createTable('bench_changes', (t) => {
      t.increments('id');
      t.text('v');
    });
  const actor = { type: 'user', userEntityRef: 'user:default/user-000001', ownershipEntityRefs: [], displayName: 'bench' };
  const plain = [];
  const audited = [];
  for (let i = 0; i < REQUESTS + 10; i++) {
    for (const withAudit of [false, true]) {
      const s0 = performance.now();
      await db.transaction(async (trx) => {
        await trx('bench_changes').insert({ v: `change ${i}` });
        if (withAudit) await captured.audit.record({ actor, action: 'bench.change', target: `bench:${i}`, after: { v: i } }, { trx });
      });
      if (i >= 10) (withAudit ? audited : plain).push(performance.now() - s0);
    }
  }
  const a = summarize(audited);
  const p = summarize(plain);
  fmt('mutation (insert in a transaction)', p);
  fmt('the same with audit.record(…, { trx })', a);
  console.log(`audit adds ${(a.p50 - p.p50).toFixed(2)} ms p50 per mutation (target < 1 ms); load average ${JSON.stringify(loadAverage())}`);
  await backend.stop();
  database.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
}
