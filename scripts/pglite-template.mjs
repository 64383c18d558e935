// Makes the embedded database's template (packages/backend/dist/pglite-template) unless a current
// one is there: new embedded databases are copied from it instead of running initdb (see
// packages/backend/src/database/pgliteTemplate.ts). Run by `npm run build` and `npm test`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './lib.mjs';

/** Never fails the build: without a template each new embedded database runs initdb, as before. */
export async function ensureTemplate() {
  const started = Date.now();
  try {
    const mod = await import(pathToFileURL(path.join(repoRoot, 'packages/backend/dist/database/pgliteTemplate.js')).href);
    if (await mod.ensurePgliteTemplate()) console.log(`build: embedded database template made in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    else console.log('build: embedded database template is up to date');
  } catch (e) {
    console.error(`build: no embedded database template (${e instanceof Error ? e.message : String(e)}); new databases will run initdb`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await ensureTemplate();
