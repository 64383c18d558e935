import { startFakeOidcProvider, type FakeOidcProvider } from '../packages/test-utils/src/fakes/oidcProvider';
import { startAtriumServer } from './atriumServer';

/** The sign-in tests' own Atrium (guest off, OIDC on) and their OpenID Provider; see e2e/app-config.sign-in.yaml. */
export const SIGN_IN_PORT = 17430;
export const OIDC_PORT = 17431;
export const SIGN_IN_BASE_URL = `http://localhost:${SIGN_IN_PORT}`;

/** A person the OpenID Provider knows; `amara.okafor` is a User in the example catalog. */
export const AMARA = {
  sub: 'amara.okafor',
  preferred_username: 'amara.okafor',
  name: 'Amara Okafor',
  email: 'amara.okafor@acme-logistics.example',
  email_verified: true,
};

export interface SignInStack {
  oidc: FakeOidcProvider;
  stop(): Promise<void>;
}

/** Starts the OpenID Provider, then Atrium configured to use it; `stop()` ends both. */
export async function startSignInStack(): Promise<SignInStack> {
  const oidc = await startFakeOidcProvider({
    port: OIDC_PORT,
    users: [AMARA],
    client: { clientId: 'atrium-e2e', clientSecret: 'atrium-e2e-secret', redirectUris: [`${SIGN_IN_BASE_URL}/api/auth/oidc/handler/frame`] },
  });
  let stopServer: () => Promise<void>;
  try {
    stopServer = await startAtriumServer({ name: 'The sign-in test server', configs: ['e2e/app-config.sign-in.yaml'], baseUrl: SIGN_IN_BASE_URL });
  } catch (e) {
    await oidc.stop();
    throw e;
  }
  const stop = async () => {
    await stopServer();
    await oidc.stop();
  };
  return { oidc, stop };
}
