/**
 * Measures catalog ingestion and query latency on a generated corpus.
 *
 *   node /work/shared/bench/gen-corpus.mjs 10000 /tmp/c10k
 *   node --conditions=source --import tsx plugins/catalog/scripts/ingest-bench.ts pglite|postgres /tmp/c10k [requests]
 *
 * `postgres` needs ATRIUM_TEST_POSTGRES_URL. Prints one JSON line of figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTestPostgresDatabase, startTestBackend } from '@atrium/test-utils';
import { catalogPlugin } from '../src/backend/index.js';

const [kind = 'pglite', dir = '/tmp/c10k', requestsArg = '200'] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
// KEEP_DB=1 leaves the Postgres database behind for EXPLAIN (its URL is printed).
const kept = kind === 'postgres' && process.env['KEEP_DB'] ? await createTestPostgresDatabase() : undefined;
if (kept) console.error(`database: ${kept.url}`);
const started = Date.now();
const backend = await startTestBackend({
  database: kind as 'pglite' | 'postgres',
  ...(kept ? { postgresUrl: kept.url } : {}),
  plugins: [catalogPlugin],
  configDir: dir,
  config: { catalog: { processingPollMs: 200, locations: [{ type: 'file', target: './all.yaml' }] } },
});
const up = Date.now() - started;
const get = async (p: string, init?: RequestInit) => {
  const res = await backend.fetch(`/api/catalog${p}`, init);
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const sample = manifest.sampleGroups[0];
for (;;) {
  const q = await get('/entities/by-query?filter=kind=component&limit=1');
  if (q.body.totalItems === manifest.n) {
    const g = await get(`/entities/by-name/group/default/${sample.name}`);
    const owned = (g.body.relations ?? []).filter((r: { type: string }) => r.type === 'ownerOf').length;
    if (owned === sample.ownerOf) break;
    if (process.env.DEBUG) console.error("waiting", q.body.totalItems, owned, g.status, JSON.stringify(g.body).slice(0, 300));
  } else if (process.env.DEBUG) console.error('waiting', q.status, q.body.totalItems);
  await new Promise((r) => setTimeout(r, 100));
}
const done = Date.now() - started;
const all = await get('/entities/by-query?limit=1');
const names: string[] = manifest.componentNames;
const requests = Number(requestsArg);
const measure = async (label: string, fn: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 10; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
  return [label, `${p(0.5)} / ${p(0.95)} / ${p(0.99)}`];
};
const latency = Object.fromEntries([
  await measure('by-query kind=component limit=50', () => get('/entities/by-query?filter=kind=component&limit=50')),
  await measure('full text description', () => get(`/entities/by-query?fullTextFilterTerm=${manifest.fullTextTerm}&fullTextFilterFields=metadata.description&limit=50`)),
  await measure('full text anywhere', () => get(`/entities/by-query?fullTextFilterTerm=${manifest.fullTextTerm}&limit=50`)),
  await measure('facets spec.type kind=component', () => get('/entity-facets?facet=spec.type&filter=kind=component')),
  await measure('by-name', (i) => get(`/entities/by-name/component/default/${names[(i * 7919) % names.length]}`)),
  await measure('by-refs x100', (i) =>
    get('/entities/by-refs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entityRefs: Array.from({ length: 100 }, (_, j) => `component:default/${names[(i * 131 + j * 97) % names.length]}`) }),
    }),
  ),
  await measure('by-query order metadata.name limit=50', () => get('/entities/by-query?filter=kind=component&orderField=metadata.name,asc&limit=50')),
]);
console.log(JSON.stringify({ kind, corpus: dir, entities: all.body.totalItems, upMs: up, doneMs: done, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20), latency }, null, 1));
await backend.stop();
