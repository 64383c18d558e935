import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bundle-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

// `npm start` bundles the frontend on a first run with the command scripts/build.mjs uses; it
// must not bury the "running at" banner under a table of chunk sizes.
describe('the frontend bundle step of npm start', () => {
  it('prints nothing when it succeeds, and still builds the app', async () => {
    const lib = (await import(pathToFileURL(path.join(repoRoot, 'scripts/lib.mjs')).href)) as {
      viteBuildCommand(outDir?: string): [string, string[]];
    };
    const [command, args] = lib.viteBuildCommand(outDir);
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, FORCE_COLOR: '0' } });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('exit', (c) => resolve({ code: c, output: text }));
    });
    expect(code, output).toBe(0);
    expect(output.trim()).toBe('');
    expect(fs.existsSync(path.join(outDir, 'index.html'))).toBe(true);
  }, 300_000);
});
