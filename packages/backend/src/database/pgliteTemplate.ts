import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgliteModuleUrl, runPgliteChild } from './initPgliteDataDir.js';

/**
 * A new embedded database made from a template instead of by initdb.
 *
 * initdb inside PGlite's WebAssembly module takes 2.5–5 s on this project's 2-core machines,
 * and a process that runs it keeps ~450 MiB more memory for good. `npm run build` makes an
 * empty database once (see ensurePgliteTemplate) and keeps it in two forms:
 * - `data/`: the directory, copied into a new data directory (~0.3 s);
 * - `data.tar.gz`: PGlite's own dump of it, loaded into an in-memory database (`:memory:`).
 * `template.json` names the PGlite version that made it. A template of another version, or
 * none at all (a source checkout that was never built), is ignored: initdb runs as before.
 */
export interface PgliteTemplate {
  dir: string;
  tarball: string;
}

const MARKER = 'template.json';

/** Where the build keeps the template: `dist/pglite-template` of this package. */
export function defaultPgliteTemplateDir(): string {
  // src/database/ and dist/database/ are both two levels below the package root.
  return path.join(fileURLToPath(new URL('../../', import.meta.url)), 'dist', 'pglite-template');
}

let version: string | undefined;

/** The PGlite version this package runs (from its package.json; read once). */
export function pgliteVersion(): string {
  return (version ??= readPgliteVersion());
}

function readPgliteVersion(): string {
  let dir = path.dirname(fileURLToPath(pgliteModuleUrl()));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  // Not found beside the module: ask the resolver (throws if the package is not installed).
  return (createRequire(import.meta.url)('@electric-sql/pglite/package.json') as { version: string }).version;
}

/** The template in `dir` if it is complete and made by this PGlite version; otherwise null. */
export function readPgliteTemplate(dir: string = defaultPgliteTemplateDir()): PgliteTemplate | null {
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as { pglite?: unknown };
    if (marker.pglite !== pgliteVersion()) return null;
    const template = { dir: path.join(dir, 'data'), tarball: path.join(dir, 'data.tar.gz') };
    if (!fs.existsSync(path.join(template.dir, 'PG_VERSION')) || !fs.statSync(template.tarball).isFile()) return null;
    return template;
  } catch {
    return null;
  }
}

/**
 * Copies the template's database into `dataDir` (which may exist and hold other files, such as
 * the lock). PG_VERSION, which marks a directory as holding a database, is copied last, so a
 * copy cut short is not taken for a database: the next start copies again.
 */
export function copyPgliteTemplate(template: PgliteTemplate, dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  for (const entry of fs.readdirSync(template.dir)) {
    if (entry === 'PG_VERSION') continue;
    fs.cpSync(path.join(template.dir, entry), path.join(dataDir, entry), { recursive: true, force: true });
  }
  fs.copyFileSync(path.join(template.dir, 'PG_VERSION'), path.join(dataDir, 'PG_VERSION'));
}

// Runs in a child: an empty database in memory, dumped; the dump loaded into the directory.
const CHILD = `
import fs from 'node:fs';
const [url, tarball, dir] = process.argv.slice(1);
const mod = await import(url);
const PGlite = mod.PGlite ?? mod.default?.PGlite;
const mem = await PGlite.create();
const blob = await mem.dumpDataDir('gzip');
await mem.close();
const bytes = Buffer.from(await blob.arrayBuffer());
fs.writeFileSync(tarball, bytes);
const db = await PGlite.create(dir, { loadDataDir: new Blob([bytes]) });
await db.query('select 1');
await db.close();
`;

/**
 * Makes the template in `dir` unless a current one is there. Built in a sibling directory and
 * renamed into place, so a reader never sees half a template. Returns whether it made one.
 */
export async function ensurePgliteTemplate(dir: string = defaultPgliteTemplateDir()): Promise<boolean> {
  if (readPgliteTemplate(dir)) return false;
  const work = `${dir}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    await runPgliteChild(CHILD, [path.join(work, 'data.tar.gz'), path.join(work, 'data')], 'making the embedded database template');
    fs.writeFileSync(path.join(work, MARKER), `${JSON.stringify({ pglite: pgliteVersion(), created: new Date().toISOString() })}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(work, dir);
    } catch (e) {
      // Another build made one at the same moment: theirs will do.
      if (readPgliteTemplate(dir)) return false;
      throw e;
    }
    return true;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
