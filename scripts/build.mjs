// Builds what is not built yet: TypeScript project references (incremental, so a no-op when
// nothing changed) and the frontend bundle (only when its sources are newer than the bundle).
// `--force` rebuilds the frontend regardless.
import fs from 'node:fs';
import path from 'node:path';
import { mtime, newestMtime, repoRoot, run, viteBuildCommand } from './lib.mjs';
import { ensureTemplate } from './pglite-template.mjs';

const force = process.argv.includes('--force');

const tscCode = await run(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'tsconfig.build.json']);
if (tscCode !== 0) {
  console.error('build: TypeScript compilation failed (see the errors above).');
  process.exit(tscCode);
}

await ensureTemplate();

const frontendSources = [
  'packages/app',
  'packages/ui',
  'packages/frontend-plugin-api',
  'packages/catalog-model/src',
  ...fs.readdirSync(path.join(repoRoot, 'plugins')).map((p) => `plugins/${p}/src`),
];
const bundle = 'packages/app/dist/index.html';
if (force || mtime(bundle) === 0 || newestMtime(frontendSources) > mtime(bundle)) {
  console.log('build: bundling the frontend with Vite');
  const started = Date.now();
  const code = await run(...viteBuildCommand());
  if (code !== 0) {
    console.error('build: the frontend bundle failed (see the errors above).');
    process.exit(code);
  }
  console.log(`build: frontend bundled in ${Math.round((Date.now() - started) / 1000)} s`);
} else {
  console.log('build: frontend bundle is up to date');
}
