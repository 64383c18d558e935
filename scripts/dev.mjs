// `npm run dev`: the backend from source in watch mode (tsx, "source" export condition) on :7007
// plus the Vite dev server with hot reload, which proxies /api to the backend.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './lib.mjs';

const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const children = [
  spawn(process.execPath, [tsx, 'watch', '--conditions=source', '--clear-screen=false', 'packages/cli/src/dev.ts', 'start', ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
  }),
  spawn('npm', ['run', 'dev', '-w', '@atrium/app'], { cwd: repoRoot, stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children)
  c.on('exit', (code) => {
    if (code) console.error(`dev: a process exited with code ${code}`);
    stop();
    process.exitCode = code ?? 0;
  });
