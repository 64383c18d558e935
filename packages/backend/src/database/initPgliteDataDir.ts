import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Whether `dataDir` already holds an embedded database (PGlite writes Postgres' PG_VERSION there). */
export function hasPgliteDatabase(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

// Runs in the child: create the database in the directory and close it.
const CHILD = `
const [url, dir] = process.argv.slice(1);
const mod = await import(url);
const PGlite = mod.PGlite ?? mod.default?.PGlite;
const db = await PGlite.create(dir);
await db.close();
`;

/**
 * Creates the embedded database in an empty `dataDir` in a short-lived child process. Creating
 * one runs initdb inside the WebAssembly module, whose memory (about 450 MiB more than an opened
 * database needs) a process never gives back: done in the server's own process, it stayed in
 * the server's resident set for good (first start: 820 MiB right after opening an empty
 * database against 300 MiB for opening an existing one). The child exits and takes it with it.
 */
export async function initPgliteDataDir(dataDir: string): Promise<void> {
  await runPgliteChild(CHILD, [dataDir], 'creating the embedded database');
}

/**
 * Runs `script` (an ES module given PGlite's module URL and then `args` as process.argv[1…]) in a
 * short-lived Node process, so the WebAssembly memory it uses goes away with it. Rejects with
 * `<what> failed: <last lines of its stderr>` when it fails or runs over five minutes.
 */
export async function runPgliteChild(script: string, args: readonly string[], what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script, pgliteModuleUrl(), ...args], { timeout: 300_000 }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const detail = stderr.trim().split('\n').slice(-3).join(' ').trim();
      reject(new Error(`${what} failed${detail ? `: ${detail}` : ''} (${error.message.split('\n')[0]})`));
    });
  });
}

/** The URL of the PGlite module this package uses (its ES module, or its CommonJS one where resolving ES modules is not offered). */
export function pgliteModuleUrl(): string {
  try {
    return import.meta.resolve('@electric-sql/pglite');
  } catch {
    return pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  }
}
