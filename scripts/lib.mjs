// Small helpers shared by the repository scripts (build, start, dev, test).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (e) => {
      console.error(`${command}: ${e.message}`);
      resolve(1);
    });
  });
}

/** Newest modification time of the files under the given directories (ignoring build output). */
export function newestMtime(dirs) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) walk(path.join(repoRoot, d));
  return newest;
}

export function mtime(file) {
  try {
    return fs.statSync(path.join(repoRoot, file)).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * The Vite build of the frontend, quiet: errors only (no per-chunk size table, no chunk-size
 * advice a user cannot act on). `outDir` defaults to packages/app/dist.
 */
export function viteBuildCommand(outDir) {
  return [
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      path.join(repoRoot, 'packages/app/vite.config.ts'),
      '--logLevel',
      'error',
      ...(outDir ? ['--outDir', outDir, '--emptyOutDir'] : []),
    ],
  ];
}
