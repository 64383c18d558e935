import { spawn } from 'node:child_process';
import path from 'node:path';
import { startFakeOidcProvider, type FakeOidcUser } from '../packages/test-utils/src/fakes/oidcProvider';

/** The permissions tests' own Atrium (guest off, OIDC on, a policy) and its OpenID Provider; see e2e/app-config.permissions.yaml. */
export const PERMISSIONS_PORT = 17401;
export const PERMISSIONS_OIDC_PORT = 17402;
export const PERMISSIONS_BASE_URL = `http://localhost:${PERMISSIONS_PORT}`;

const repoRoot = path.resolve(import.meta.dirname, '..');

function person(name: string): FakeOidcUser {
  return { sub: name, preferred_username: name, name, email: `${name}@acme-logistics.example`, email_verified: true };
}

/** In the example catalog: Tomasz is in payments-team (which owns the billing components), Li is not, Sofia is the policy's admin. */
export const OWNER = person('tomasz.kowalski');
export const NON_OWNER = person('li.wei');
export const ADMIN = person('sofia.lindqvist');

/** Starts the OpenID Provider, then Atrium configured to use it; the result stops both. */
export async function startPermissionsStack(): Promise<() => Promise<void>> {
  const oidc = await startFakeOidcProvider({
    port: PERMISSIONS_OIDC_PORT,
    users: [OWNER, NON_OWNER, ADMIN],
    client: {
      clientId: 'atrium-e2e-permissions',
      clientSecret: 'atrium-e2e-permissions-secret',
      redirectUris: [`${PERMISSIONS_BASE_URL}/api/auth/oidc/handler/frame`],
    },
  });
  const server = spawn(process.execPath, ['packages/cli/bin/atrium.js', 'start', '--config', 'e2e/app-config.permissions.yaml'], {
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
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) {
      await stop();
      throw new Error(`The permissions test server exited with ${server.exitCode}:\n${errors}`);
    }
    try {
      if ((await fetch(`${PERMISSIONS_BASE_URL}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The permissions test server was not ready within 120 s:\n${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return stop;
}
