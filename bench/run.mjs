#!/usr/bin/env node
// Dispatcher: `node bench/run.mjs <name> [args]` (or `npm run bench -- <name> [args]`) runs bench/<name>.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [name, ...args] = process.argv.slice(2);
const available = fs
  .readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -4));
if (!name || !/^[a-z0-9-]+$/.test(name) || !available.includes(name)) {
  console.error(`usage: node bench/run.mjs <name> [args]   (names: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
const child = spawn(process.execPath, [path.join(import.meta.dirname, `${name}.mjs`), ...args], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
