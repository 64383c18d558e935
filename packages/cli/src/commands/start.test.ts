import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestPostgresDatabase, testDatabaseKinds } from '@atrium/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const tsx = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
const entry = path.join(repoRoot, 'packages/cli/src/dev.ts');

/**
 * Runs `atrium start` from source in `cwd`; resolves when it exits (or kills it after `timeoutMs`).
 * With `stopWhen`, it is stopped (SIGTERM) as soon as what it printed so far satisfies it.
 */
function atrium(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000, stopWhen?: (out: { stdout: string; stderr: string }) => boolean) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [tsx, '--conditions=source', entry, ...args], {
      cwd,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    });
    let stderr = '';
    let stdout = '';
    const check = () => {
      if (stopWhen?.({ stdout, stderr }) && child.exitCode === null) child.kill('SIGTERM');
    };
    child.stderr.on('data', (d) => {
      stderr += d;
      check();
    });
    child.stdout.on('data', (d) => {
      stdout += d;
      check();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-start-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const config = (yaml: string) => fs.writeFileSync(path.join(dir, 'app-config.yaml'), yaml);

describe('atrium start: bad input stops the start with a clear message and a non-zero exit', () => {
  it('invalid YAML names file, line and column', async () => {
    config('backend:\n  listen: {port: 7\n');
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`atrium: Invalid YAML in config file ${dir}/app-config.yaml:\\d+:\\d+`));
  });

  it('a schema error names the file and the key', async () => {
    config('backend:\n  listen:\n    port: 70000\n');
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`atrium: Invalid configuration: ${dir}/app-config.yaml: backend.listen.port must be <= 65535`);
  });

  it('an unknown section names the file and the key it probably meant', async () => {
    config("backend:\n  database:\n    client: pglite\n    connection: ':memory:'\ncatalgo:\n  locations: []\n");
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`atrium: Invalid configuration: ${dir}/app-config.yaml: catalgo is not a known key (did you mean catalog?)`);
  });

  it('an invalid catalog.kinds stops the start with the file and the key, instead of starting with failed plugins', async () => {
    config(
      "backend:\n  listen:\n    port: 0\n  database:\n    client: pglite\n    connection: ':memory:'\n" +
        'catalog:\n  kinds:\n    - apiVersion: example.com/v1\n      kind: Widget\n      specSchema: { type: string }\n',
    );
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`atrium: Invalid configuration: ${dir}/app-config.yaml: catalog.kinds: Invalid custom kind definition`);
    expect(r.stderr).toContain('specSchema.type must be "object"');
    expect(r.stderr).not.toContain('Atrium is running');
  });

  it('an unset ${VAR} names the variable', async () => {
    config('backend:\n  baseUrl: ${ATRIUM_TEST_UNSET_VAR}\n');
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('environment variable ATRIUM_TEST_UNSET_VAR is not set');
  });

  it('an unknown option is a usage error', async () => {
    config('');
    const r = await atrium(dir, ['start', '--confg', 'x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Unknown option '--confg'");
  });

  it('a port already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      config(`backend:\n  listen:\n    port: ${port}\n  database:\n    client: pglite\n    connection: ':memory:'\n`);
      const r = await atrium(dir, ['start']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`atrium: Port ${port} is already in use (backend.listen.port in ${dir}/app-config.yaml)`);
    } finally {
      blocker.close();
    }
  });

  it('an unreachable Postgres fails within seconds with host and reason', async () => {
    // Nothing listens on port 1; a connection is refused at once.
    config('backend:\n  database:\n    client: pg\n    connection: postgres://atrium@127.0.0.1:1/atrium\n    connectTimeoutSeconds: 3\n');
    const started = Date.now();
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('atrium: Cannot connect to Postgres at 127.0.0.1:1/atrium: ');
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a data directory that cannot be written', async () => {
    fs.writeFileSync(path.join(dir, 'not-a-dir'), 'x');
    config('backend:\n  database:\n    client: pglite\n    connection:\n      directory: not-a-dir/data\n');
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`atrium: The embedded database directory ${dir}/not-a-dir/data cannot be created or written`);
  });

  it('a data directory locked by a running process', async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    // Our own test runner is a live process that is not the child: it holds the lock.
    fs.writeFileSync(path.join(dir, 'data.lock'), String(process.pid));
    config('backend:\n  database:\n    client: pglite\n    connection:\n      directory: data\n');
    const r = await atrium(dir, ['start']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is in use by another Atrium process (pid ${process.pid})`);
  });
});

describe.each(testDatabaseKinds())('atrium start: the JavaScript heap (%s)', (kind) => {
  it(kind === 'pglite' ? 'is kept tight next to the embedded database' : 'is left to V8 with a Postgres server', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const created = kind === 'postgres' ? await createTestPostgresDatabase() : undefined;
    try {
      const database = created ? { client: 'pg', connection: created.url } : { client: 'pglite', connection: ':memory:' };
      fs.writeFileSync(path.join(dir, 'app-config.yaml'), JSON.stringify({ backend: { listen: { port }, dataDir: path.join(dir, 'data'), database } }));
      // Stopped once the banner (stderr) and the log line (stdout) both say it serves.
      const up = (o: { stdout: string; stderr: string }) => o.stderr.includes('Atrium is running at') && o.stdout.includes('Atrium is running at');
      const { stdout, stderr } = await atrium(dir, ['start'], { LOG_LEVEL: 'info' }, 90_000, up);
      expect(stdout, stderr).toContain('Atrium is running at');
      if (kind === 'pglite') expect(stdout).toContain('the JavaScript heap is kept tight (--heap-growing-percent=40');
      else expect(stdout).not.toContain('heap-growing-percent');
    } finally {
      await created?.drop();
    }
  });
});
