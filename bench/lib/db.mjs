// Fresh databases for benchmark runs: a new Postgres database (via psql) or a new PGlite directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PG_HOST = process.env.BENCH_PG_HOST ?? '127.0.0.1';
const PG_PORT = process.env.BENCH_PG_PORT ?? '5432';
const PG_USER = process.env.BENCH_PG_USER ?? 'postgres';

export function psql(sql, database = 'postgres') {
  return execFileSync('psql', ['-h', PG_HOST, '-p', PG_PORT, '-U', PG_USER, '-d', database, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function pgServerVersion() {
  return psql('show server_version');
}

/**
 * Creates what the run's `backend.database` config points at and returns
 * { config, describe, cleanup, pgDatabase? }.
 */
export function createFreshDatabase(kind, runId) {
  if (kind === 'pg') {
    const name = `atrium_bench_${runId.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
    psql(`drop database if exists ${name}`);
    psql(`create database ${name}`);
    return {
      config: { client: 'pg', connection: `postgres://${PG_USER}@${PG_HOST}:${PG_PORT}/${name}` },
      describe: `Postgres ${pgServerVersion()} at ${PG_HOST}:${PG_PORT}/${name} (autovacuum ${psql('show autovacuum')})`,
      pgDatabase: name,
      cleanup() {
        // BENCH_KEEP_DB=1 leaves the database for a look afterwards (EXPLAIN, psql).
        if (process.env.BENCH_KEEP_DB === '1') return console.error(`bench: kept database ${name} (BENCH_KEEP_DB=1)`);
        try {
          psql(`drop database if exists ${name} with (force)`);
        } catch (e) {
          console.error(`bench: could not drop database ${name}: ${e.message}`);
        }
      },
    };
  }
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atrium-bench-${runId}-`));
    const dataDir = path.join(dir, 'data');
    // BENCH_PGLITE_SEED=<a dumpDataDir tarball>: the directory is made from it in a child process,
    // so the backend opens an existing database instead of running initdb itself (issue 20's
    // question: what a first start without initdb in the server's process costs and saves).
    if (process.env.BENCH_PGLITE_SEED) {
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { PGlite } from '@electric-sql/pglite'; import fs from 'node:fs';
           const db = await PGlite.create(process.argv[1], { loadDataDir: new Blob([fs.readFileSync(process.argv[2])]) }); await db.close();`,
          dataDir,
          process.env.BENCH_PGLITE_SEED,
        ],
        { stdio: 'inherit', cwd: path.resolve(import.meta.dirname, '..') },
      );
    }
    return {
      config: { client: 'pglite', connection: { directory: dataDir } },
      describe: `PGlite in ${dataDir}`,
      dataDir,
      cleanup() {
        if (process.env.BENCH_KEEP_DB === '1') return console.error(`bench: kept PGlite directory ${dataDir} (BENCH_KEEP_DB=1)`);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error(`--db must be pg or pglite, got ${kind}`);
}

/** Postgres server processes serving one database (their pids), for CPU accounting. */
export function pgBackendPids(database) {
  try {
    return psql(`select pid from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
