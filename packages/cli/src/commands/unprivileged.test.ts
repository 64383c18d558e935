import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPostgresDatabase, testPostgresUrl } from '@atrium/test-utils';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const entry = path.join(repoRoot, 'packages/cli/src/dev.ts');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

if (!asRoot || !testPostgresUrl()) {
  console.warn('[unprivileged.test] skipped: needs root (to run the server as another user) and ATRIUM_TEST_POSTGRES_URL.');
}

// The container's situation: the code is owned by root and read-only for the server's user, the
// production config is used, and only the data directory (ATRIUM_DATA_DIR) is writable.
describe.skipIf(!asRoot || !testPostgresUrl())('atrium start as an unprivileged user in a read-only checkout', () => {
  it('starts every plugin with everything it writes under the data directory', async () => {
    const db = await createTestPostgresDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-unpriv-data-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-unpriv-home-'));
    fs.chownSync(dataDir, NOBODY, NOBODY);
    fs.chownSync(home, NOBODY, NOBODY);
    const port = await freePort();
    const url = new URL(db.url);
    const child = spawn(process.execPath, [tsx, '--conditions=source', entry, 'start', '--config', 'app-config.production.yaml'], {
      cwd: repoRoot,
      uid: NOBODY,
      gid: NOBODY,
      env: {
        PATH: process.env['PATH'],
        HOME: home,
        LOG_LEVEL: 'warn',
        PORT: String(port),
        ATRIUM_BASE_URL: `http://localhost:${port}`,
        ATRIUM_DATA_DIR: dataDir,
        POSTGRES_HOST: url.hostname,
        POSTGRES_PORT: url.port || '5432',
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        POSTGRES_DB: db.name,
        ...(url.password ? { POSTGRES_PASSWORD: decodeURIComponent(url.password) } : {}),
      },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      let ready: { status: number; body: { plugins: Array<{ id: string; status: string; health: { status: string; message?: string } }> } } | undefined;
      const deadline = Date.now() + 150_000;
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/readyz`);
          ready = { status: res.status, body: await res.json() };
          if (ready.status === 200 || ready.body.plugins.some((p) => p.status === 'failed')) break;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(child.exitCode, output).toBeNull();
      expect(
        ready?.body.plugins.map((p) => `${p.id}:${p.status}`),
        output,
      ).toEqual(ready?.body.plugins.map((p) => `${p.id}:running`));
      expect(ready?.status, JSON.stringify(ready?.body)).toBe(200);
      expect(output).not.toMatch(/EACCES|permission denied/i);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 200_000);
});
