#!/usr/bin/env node
// Entry point of the `atrium` command; the code lives in ../dist (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('atrium: the CLI is not built yet. Run `npm run build` (or `npm start`, which builds first) in the repository root.');
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
