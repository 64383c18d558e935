import { startFakeOidcProvider, type FakeOidcUser } from '../packages/test-utils/src/fakes/oidcProvider';
import { startAtriumServer } from './atriumServer';

/** The permissions tests' own Atrium (guest off, OIDC on, a policy) and its OpenID Provider; see e2e/app-config.permissions.yaml. */
export const PERMISSIONS_PORT = 17401;
export const PERMISSIONS_OIDC_PORT = 17402;
export const PERMISSIONS_BASE_URL = `http://localhost:${PERMISSIONS_PORT}`;

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
  try {
    const stopServer = await startAtriumServer({
      name: 'The permissions test server',
      configs: ['e2e/app-config.permissions.yaml'],
      baseUrl: PERMISSIONS_BASE_URL,
    });
    return async () => {
      await stopServer();
      await oidc.stop();
    };
  } catch (e) {
    await oidc.stop();
    throw e;
  }
}
