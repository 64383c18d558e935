import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startFakeOidcProvider, type FakeOidcProvider } from '../packages/test-utils/src/fakes/oidcProvider';

/** The sign-in tests' own Atrium (guest off, OIDC on) and their OpenID Provider; see e2e/app-config.sign-in.yaml. */
export const SIGN_IN_PORT = 17430;
export const OIDC_PORT = 17431;
export const SIGN_IN_BASE_URL = `http://localhost:${SIGN_IN_PORT}`;

const repoRoot = path.resolve(import.meta.dirname, '..');

/** A person the OpenID Provider knows; `amara.okafor` is a User in the example catalog. */
export const AMARA = { sub: 'amara.okafor', preferred_username: 'amara.okafor', name: 'Amara Okafor', email: 'amara.okafor@acme-logistics.example', email_verified: true };

export interface SignInStack {
  oidc: FakeOidcProvider;
  stop(): Promise<void>;
}

async function waitUntilReady(url: string, server: ChildProcess, stderr: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The sign-in test server exited with ${server.exitCode}:\n${stderr()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The sign-in test server was not ready at ${url} within ${timeoutMs} ms:\n${stderr()}`);
}

/** Starts the OpenID Provider, then Atrium configured to use it; `stop()` ends both. */
export async function startSignInStack(): Promise<SignInStack> {
  const oidc = await startFakeOidcProvider({
    port: OIDC_PORT,
    users: [AMARA],
    client: { clientId: 'atrium-e2e', clientSecret: 'atrium-e2e-secret', redirectUris: [`${SIGN_IN_BASE_URL}/api/auth/oidc/handler/frame`] },
  });
  const server = spawn(process.execPath, ['packages/cli/bin/atrium.js', 'start', '--config', 'e2e/app-config.sign-in.yaml'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await oidc.stop();
  };
  try {
    await waitUntilReady(`${SIGN_IN_BASE_URL}/readyz`, server, () => errors);
  } catch (e) {
    await stop();
    throw e;
  }
  return { oidc, stop };
}
