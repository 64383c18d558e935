import { spawn } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

export interface AtriumServerOptions {
  /** Names the server in errors ("the sign-in test server"). */
  name: string;
  /** Config files, relative to the repository, in order. */
  configs: string[];
  /** Its `backend.baseUrl`: readiness is `<baseUrl>/readyz`. */
  baseUrl: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Starts a production build of Atrium (`atrium start`) with the given configs for a spec's own
 * scenario and waits until it is ready; the result stops it (SIGTERM, then SIGKILL after 10 s).
 * A server that exits or is not ready in time fails with the end of its stderr.
 */
export async function startAtriumServer(options: AtriumServerOptions): Promise<() => Promise<void>> {
  const server = spawn(process.execPath, ['packages/cli/bin/atrium.js', 'start', ...options.configs.flatMap((c) => ['--config', c])], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    if (server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  };
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`${options.name} exited with ${server.exitCode}:\n${stderr}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} was not ready at ${options.baseUrl} within ${timeoutMs} ms:\n${stderr}`);
    }
    if (
      await fetch(`${options.baseUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return stop;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
