#!/usr/bin/env node
// The catalog ingest's physical floor on this machine (issue 20): read every YAML file of the
// generated corpus, parse each document with js-yaml, check the envelope (apiVersion, kind,
// metadata.name), and COPY (ref, json) into an indexed table of a fresh Postgres database.
// Nothing else: no relations, no stitch, no search rows. The catalog bench divides its ingest
// time by this figure.
//
//   node bench/catalog-floor.mjs --n 10000 [--runs 3] [--json]     (or: npm run bench -- catalog-floor ...)
//
// Prints the fastest of --runs runs (and each run), and `FLOOR_JSON {...}` for other scripts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
// js-yaml 4's loader: the faster of the two js-yaml versions the catalog uses (see plugins/catalog/src/backend/ingestion/fastYaml.ts).
import { CORE_SCHEMA, loadAll } from 'js-yaml-4';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadAverage, round } from './lib/proc.mjs';
import { psql } from './lib/db.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const GEN = process.env.BENCH_GEN_CORPUS ?? path.resolve(repoRoot, '../shared/bench/gen-corpus.mjs');
const PG_HOST = process.env.BENCH_PG_HOST ?? '127.0.0.1';
const PG_PORT = process.env.BENCH_PG_PORT ?? '5432';
const PG_USER = process.env.BENCH_PG_USER ?? 'postgres';

const { values: opt } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '3' },
    corpus: { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});
const N = Number(opt.n);
const RUNS = Number(opt.runs);
if (!Number.isInteger(N) || N < 10) fail('--n must be an integer >= 10');
if (!Number.isInteger(RUNS) || RUNS < 1) fail('--runs must be an integer >= 1');

const outRoot = path.resolve(opt.out ?? path.join(repoRoot, 'bench/out'));
const corpus = path.resolve(opt.corpus ?? path.join(outRoot, `corpus-${N}`));
if (!fs.existsSync(path.join(corpus, 'manifest.json'))) {
  if (opt.corpus) fail(`${corpus} has no manifest.json (not a generated corpus)`);
  if (!fs.existsSync(GEN)) fail(`no corpus in ${corpus} and no generator at ${GEN} (../shared is missing; set BENCH_GEN_CORPUS)`);
  console.error(`floor: generating corpus N=${N} in ${corpus}`);
  execFileSync(process.execPath, [GEN, String(N), corpus], { stdio: 'inherit' });
}
const manifest = JSON.parse(fs.readFileSync(path.join(corpus, 'manifest.json'), 'utf8'));

const runs = [];
const loadAtStart = loadAverage();
for (let i = 0; i < RUNS; i++) runs.push(await oneRun(i));
const best = runs.reduce((a, b) => (b.totalS < a.totalS ? b : a));
const result = {
  bench: 'catalog-floor',
  date: new Date().toISOString(),
  n: N,
  corpus: { files: best.files, documents: best.documents, entities: manifest.total },
  floorS: best.totalS,
  best,
  runs,
  loadAtStart,
  loadAtEnd: loadAverage(),
};
for (const r of runs)
  console.log(`run: read ${r.readS} s, parse + envelope ${r.parseS} s, COPY ${r.copyS} s = ${r.totalS} s (${r.documents} documents, ${r.files} files)`);
console.log(
  `floor (best of ${RUNS}): ${best.totalS} s for ${best.documents} documents in ${best.files} files; load ${loadAtStart.one} → ${result.loadAtEnd.one}`,
);
console.log(`FLOOR_JSON ${JSON.stringify(result)}`);

async function oneRun(index) {
  const database = `atrium_bench_floor_${process.pid}_${index}`;
  psql(`drop database if exists ${database}`);
  psql(`create database ${database}`);
  const client = new pg.Client({ connectionString: `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${database}` });
  await client.connect();
  try {
    await client.query('create table entities (entity_ref text primary key, body jsonb not null)');
    const t0 = performance.now();
    const files = yamlFiles(corpus);
    const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
    const t1 = performance.now();
    const lines = [];
    let documents = 0;
    for (let f = 0; f < texts.length; f++) {
      for (const doc of loadAll(texts[f], null, { schema: CORE_SCHEMA })) {
        if (doc === null || doc === undefined) continue;
        documents++;
        lines.push(`${copyText(refOf(doc, files[f]))}\t${copyText(JSON.stringify(doc))}\n`);
      }
    }
    const t2 = performance.now();
    await pipeline(Readable.from(lines), client.query(copyFrom('copy entities (entity_ref, body) from stdin')));
    const t3 = performance.now();
    const stored = Number((await client.query('select count(*) as n from entities')).rows[0].n);
    if (stored !== documents) throw new Error(`COPY stored ${stored} rows for ${documents} documents`);
    const s = (ms) => round(ms / 1000, 3);
    return { files: files.length, documents, readS: s(t1 - t0), parseS: s(t2 - t1), copyS: s(t3 - t2), totalS: s(t3 - t0) };
  } finally {
    await client.end();
    psql(`drop database if exists ${database} with (force)`);
  }
}

/** The envelope check: apiVersion group/version, kind, metadata.name (and namespace if set) are strings. */
function refOf(doc, file) {
  const where = `${path.relative(corpus, file)}`;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${where}: a document is not an object`);
  if (typeof doc.apiVersion !== 'string' || !/^[a-z0-9.-]+\/[a-z0-9]+$/i.test(doc.apiVersion)) throw new Error(`${where}: bad apiVersion`);
  if (typeof doc.kind !== 'string' || !/^[a-zA-Z][a-zA-Z0-9]*$/.test(doc.kind)) throw new Error(`${where}: bad kind`);
  const meta = doc.metadata;
  if (typeof meta !== 'object' || meta === null || typeof meta.name !== 'string' || meta.name.length === 0) throw new Error(`${where}: bad metadata.name`);
  if (meta.namespace !== undefined && typeof meta.namespace !== 'string') throw new Error(`${where}: bad metadata.namespace`);
  return `${doc.kind}:${meta.namespace ?? 'default'}/${meta.name}`.toLowerCase();
}

/** COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyText(value) {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
}

function yamlFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.yaml')) found.push(full);
    }
  };
  walk(dir);
  return found;
}

function fail(message) {
  console.error(`catalog-floor: ${message}`);
  process.exit(2);
}
