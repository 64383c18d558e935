#!/usr/bin/env node
// GitHub discovery (issue 17's targets: a 2,000-repository organisation in the catalog in < 60 s;
// < 100 API calls per minute in the steady state after; a push webhook reflected in the entity
// within 5 s), against the fake GitHub REST API of @atrium/test-utils (real HTTP on 127.0.0.1,
// pagination at 100 a page with Link headers, ETags/304, rate-limit headers).
//
//   node --conditions=source --import tsx bench/discovery.mjs [--repos 2000] [--interval 60] [--steady 180] [--pushes 10] [--db pglite|postgres]
//
// 1. "discovered": from the backend's start until every repository's Component is in the catalog.
// 2. "steady": requests the fake received (every one, 304s included, and those counted against
//    the rate limit) per minute over --steady seconds after that, with discovery every --interval s.
// 3. "push": for --pushes pushes, the time from sending the signed push delivery (a real example
//    payload from @octokit/webhooks-examples with the repository swapped in) until the entity
//    shows the new description.
// --db postgres needs ATRIUM_TEST_POSTGRES_URL (a fresh database is created on that server).
import { createRequire } from 'node:module';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sign } from '@octokit/webhooks-methods';
import { catalogPlugin, catalogServiceRef } from '@atrium/plugin-catalog/backend';
import { integrationsPlugin } from '@atrium/plugin-integrations/backend';
import { startFakeGitHubApi, startTestBackend, waitFor } from '@atrium/test-utils';

const { values: opt } = parseArgs({
  options: {
    repos: { type: 'string', default: '2000' },
    interval: { type: 'string', default: '60' },
    steady: { type: 'string', default: '180' },
    pushes: { type: 'string', default: '10' },
    db: { type: 'string', default: 'pglite' },
  },
});
const N = Number(opt.repos);
const ORG = 'bench-org';
const TOKEN = 'ghp_benchtoken0000000000000000000000000000';
const SECRET = 'bench-webhook-secret';
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json');
const pushExample = examples.find((e) => e.name === 'push').examples.find((e) => e.ref === `refs/heads/${e.repository.default_branch}`);

const descriptor = (i, description) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc-${i}\n  description: ${description}\nspec:\n  type: service\n  lifecycle: production\n  owner: group:default/team-${i % 20}\n`;

const gh = await startFakeGitHubApi();
gh.addToken(TOKEN, { login: 'bench-bot' });
for (let i = 0; i < N; i++)
  gh.addRepo({ owner: ORG, name: `svc-${i}`, topics: ['bench'], language: 'Go', files: { 'catalog-info.yaml': descriptor(i, 'v0') } });

const started = performance.now();
const b = await startTestBackend({
  database: opt.db === 'postgres' ? 'postgres' : 'pglite',
  plugins: [catalogPlugin, integrationsPlugin],
  config: {
    integrations: {
      encryptionKey: 'b'.repeat(40),
      github: [{ host: 'github.com', apiBaseUrl: gh.url, token: TOKEN, webhookSecret: SECRET }],
      discovery: { github: [{ host: 'github.com', org: ORG, schedule: { intervalSeconds: Number(opt.interval) } }] },
    },
  },
});
const catalog = b.backend.service(catalogServiceRef);
const count = async () => (await catalog.getEntityFacets({ facets: ['kind'], filter: { kind: 'component' } })).facets['kind']?.[0]?.count ?? 0;
await waitFor(async () => (await count()) >= N, { timeoutMs: 30 * 60_000, intervalMs: 250 });
const discoveredMs = performance.now() - started;
const firstScanCalls = gh.served.length;
console.log(
  `discovered: ${N} repositories (${Math.ceil(N / 100)} pages) into the catalog in ${(discoveredMs / 1000).toFixed(1)} s (backend start included), ${firstScanCalls} requests`,
);

// Steady state: nothing changes; discovery keeps checking every --interval seconds.
const steadyFrom = gh.served.length;
const countedFrom = gh.counted();
const steadyStart = performance.now();
await new Promise((r) => setTimeout(r, Number(opt.steady) * 1000));
const minutes = (performance.now() - steadyStart) / 60_000;
const steadyCalls = gh.served.length - steadyFrom;
console.log(
  `steady: ${(steadyCalls / minutes).toFixed(1)} requests/min (${steadyCalls} in ${(minutes * 60).toFixed(0)} s, ${gh.counted() - countedFrom} counted against the rate limit, discovery every ${opt.interval} s)`,
);

// Push webhook to entity latency.
const latencies = [];
for (let k = 1; k <= Number(opt.pushes); k++) {
  const i = (k * 7) % N;
  const text = `push ${k}`;
  gh.pushFile(ORG, `svc-${i}`, 'catalog-info.yaml', descriptor(i, text));
  const payload = {
    ...pushExample,
    ref: 'refs/heads/main',
    repository: { ...pushExample.repository, ...gh.repoJson(ORG, `svc-${i}`), master_branch: 'main' },
    organization: { login: ORG },
  };
  const body = JSON.stringify(payload);
  const t0 = performance.now();
  const res = await b.fetch('/api/integrations/github/webhook', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': `bench-${k}-${Date.now()}`,
      'x-hub-signature-256': await sign(SECRET, body),
    },
    body,
  });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
  await waitFor(async () => (await catalog.getEntityByRef(`component:default/svc-${i}`))?.metadata.description === text, { timeoutMs: 30_000, intervalMs: 20 });
  latencies.push(performance.now() - t0);
}
latencies.sort((a, c) => a - c);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
if (latencies.length) console.log(`push: webhook to entity p50 ${pct(50).toFixed(0)} ms, max ${latencies.at(-1).toFixed(0)} ms (${latencies.length} pushes)`);
console.log(
  `load average: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (${os.cpus().length} cores), db ${opt.db}`,
);

await b.stop();
await gh.stop();
