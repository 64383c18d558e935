import { expect, test } from '@playwright/test';
import { startFakeGitHubOAuth, type FakeGitHubOAuth } from '../packages/test-utils/src/fakes/githubOAuth';
import { startFakeSamlIdp, type FakeSamlIdp } from '../packages/test-utils/src/fakes/samlIdp';
import { startAtriumServer } from './atriumServer';

// GitHub and SAML sign-in in Chromium against its own server (guest off; see
// e2e/app-config.sign-in-github-saml.yaml), a fake GitHub and a fake SAML IdP that signs with a
// key generated here. The browser does what it does with the real ones: GitHub's redirects
// (a cross-site GET back to /api/auth/github/handler/frame), and SAML's redirect binding and
// the IdP's auto-posting form (a cross-site POST to /api/auth/saml/handler/frame).
const PORT = 17442;
const IDP_PORT = 17443;
const GITHUB_PORT = 17444;
const BASE_URL = `http://localhost:${PORT}`;

test.use({ baseURL: BASE_URL });
test.describe.configure({ mode: 'serial' });

let idp: FakeSamlIdp | undefined;
let github: FakeGitHubOAuth | undefined;
let stopServer: (() => Promise<void>) | undefined;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  // amara.okafor is a User of the example catalog with this email.
  idp = await startFakeSamlIdp({
    port: IDP_PORT,
    users: [{ nameId: 'amara.okafor@acme-logistics.example', email: 'amara.okafor@acme-logistics.example', displayName: 'Amara Okafor' }],
  });
  github = await startFakeGitHubOAuth({
    port: GITHUB_PORT,
    clientId: 'atrium-e2e-github',
    clientSecret: 'atrium-e2e-github-secret',
    callbackUrl: `${BASE_URL}/api/auth/github/handler/frame`,
    users: [
      { id: 4242, login: 'amara-okafor', name: 'Amara Okafor', emails: [{ email: 'amara.okafor@acme-logistics.example', primary: true, verified: true }] },
    ],
  });
  stopServer = await startAtriumServer({
    name: 'The sign-in test server',
    configs: ['e2e/app-config.sign-in-github-saml.yaml'],
    baseUrl: BASE_URL,
    env: { ATRIUM_E2E_SAML_CERT: idp.cert },
  });
});

test.afterAll(async () => {
  await stopServer?.();
  await idp?.stop();
  await github?.stop();
});

test('signs in through the SAML IdP and comes back to the page it started from', async ({ page }, testInfo) => {
  await page.goto('/catalog?kind=api');
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fcatalog%3Fkind%3Dapi$/);
  await page.getByRole('link', { name: 'Sign in with Acme SAML' }).click();

  await expect(page).toHaveURL(/\/catalog\?kind=api$/);
  await expect(page.getByRole('button', { name: 'Account: Amara Okafor' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('signed-in-with-saml.png') });
  // The AuthnRequest named this server's entity id and assertion consumer service URL.
  expect(idp!.requests.at(-1)).toMatchObject({ issuer: 'atrium-e2e-sp', acsUrl: `${BASE_URL}/api/auth/saml/handler/frame` });
});

test('signs in with GitHub and comes back to the page it started from', async ({ page }, testInfo) => {
  await page.goto('/docs');
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fdocs$/);
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();

  await expect(page).toHaveURL(/\/docs$/);
  await expect(page.getByRole('button', { name: 'Account: Amara Okafor' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('signed-in-with-github.png') });
  // The code went back with the app's secret and the registered callback URL.
  expect(github!.tokenRequests.at(-1)).toMatchObject({ client_id: 'atrium-e2e-github', redirect_uri: `${BASE_URL}/api/auth/github/handler/frame` });
});

test('the SP metadata is served for the IdP administrator', async ({ request }) => {
  const res = await request.get('/api/auth/saml/metadata');
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain('entityID="atrium-e2e-sp"');
});
