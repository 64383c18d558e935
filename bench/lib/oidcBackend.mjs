// A backend (catalog only) with one catalog user, jdoe of team-a, who can sign in through a local
// OpenID Provider (oidc-provider) started beside it. Used by bench/signin.mjs and bench/auth.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogPlugin } from '@atrium/plugin-catalog/backend';
import { startFakeOidcProvider, startTestBackend, waitFor } from '@atrium/test-utils';

const ORG_YAML = `apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: jdoe }
spec: { profile: { email: jdoe@example.com }, memberOf: [team-a] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: team-a }
spec: { type: team, children: [] }
`;

/** The cookies a response sets, as a Cookie header (cleared ones left out). */
export const cookieOf = (res) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .filter((c) => !c.endsWith('='))
    .join('; ');

/**
 * Starts the provider and the backend on fixed ports, waits until jdoe is in the catalog, and
 * returns them with `stop()`. `db` is `pglite` or `postgres` (ATRIUM_TEST_POSTGRES_URL's server).
 */
export async function startOidcBackend({ db, backendPort, providerPort }) {
  const callbackUrl = `http://localhost:${backendPort}/api/auth/oidc/handler/frame`;
  const client = { clientId: 'bench', clientSecret: 'bench-secret', redirectUris: [callbackUrl] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atrium-bench-oidc-'));
  fs.writeFileSync(path.join(dir, 'org.yaml'), ORG_YAML);
  const idp = await startFakeOidcProvider({
    port: providerPort,
    users: [{ sub: 'jdoe', email: 'jdoe@example.com', email_verified: true, preferred_username: 'jdoe' }],
    client,
  });
  const backend = await startTestBackend({
    database: db === 'postgres' ? 'postgres' : 'pglite',
    plugins: [catalogPlugin],
    configDir: dir,
    config: {
      backend: { baseUrl: `http://localhost:${backendPort}`, listen: { port: backendPort, host: '127.0.0.1' }, reading: { fileRoots: [dir] } },
      catalog: { locations: [{ type: 'file', target: './org.yaml' }] },
      auth: { providers: { guest: {}, oidc: { development: { clientId: client.clientId, clientSecret: client.clientSecret, metadataUrl: idp.metadataUrl } } } },
    },
  });
  const stop = async () => {
    await backend.stop();
    await idp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await backend.fetch('/api/catalog/entities/by-name/user/default/jdoe')).status === 200, {
      timeoutMs: 60_000,
      message: 'jdoe is in the catalog',
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { backend, idp, stop };
}
